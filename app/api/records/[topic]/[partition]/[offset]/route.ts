import { getRuntime } from "@/server/runtime";
import { requireViewer } from "@/server/auth/authenticate";
import { handle, HttpError, json, parseParams } from "@/server/http/respond";
import { rawRecordParams } from "@/server/contract/api";
import { readRawRecord } from "@/server/kafka/read-raw-record";

type Params = { params: Promise<{ topic: string; partition: string; offset: string }> };

/** One record as Kafka holds it (base64), read from Kafka: for records the index set aside. */
export function GET(req: Request, ctx: Params): Promise<Response> {
  return handle(async () => {
    await requireViewer(req);
    const { topic, partition, offset } = await parseParams(rawRecordParams, ctx.params);
    const record = await readRawRecord(getRuntime().config.kafka, topic, partition, offset);
    if (!record) throw new HttpError(404, "Kafka no longer holds that record");
    return json(record);
  });
}
