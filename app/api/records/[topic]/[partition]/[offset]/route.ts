import { getRuntime } from "@/server/runtime";
import { requireViewer } from "@/server/auth/authenticate";
import { handle, HttpError, json } from "@/server/http/respond";
import { rawRecordParams } from "@/server/http/schemas";
import { readRawRecord } from "@/server/kafka/read-raw-record";

type Params = { params: Promise<{ topic: string; partition: string; offset: string }> };

/** One record as Kafka holds it (base64), read from Kafka: for records the index set aside. */
export function GET(req: Request, ctx: Params): Promise<Response> {
  return handle(async () => {
    await requireViewer(req);
    const parsed = rawRecordParams.safeParse(await ctx.params);
    if (!parsed.success) throw new HttpError(400, parsed.error.issues[0]?.message ?? "bad record coordinates");
    const { topic, partition, offset } = parsed.data;
    const record = await readRawRecord(getRuntime().config.kafka, topic, partition, offset);
    if (!record) throw new HttpError(404, "Kafka no longer holds that record");
    return json(record);
  });
}
