import { getRuntime } from "@/server/runtime";
import { requireViewer } from "@/server/auth/authenticate";
import { handle, HttpError, json, parseParams } from "@/server/http/respond";
import { dlqRecordParams } from "@/server/contract/dlq";
import { findDeadLetterMessage } from "@/server/dlq/find-dead-letter-message";

// One dead letter with its stack trace, which the list leaves out to stay small.
export function GET(req: Request, ctx: { params: Promise<{ topic: string; partition: string; offset: string }> }): Promise<Response> {
  return handle(async () => {
    await requireViewer(req);
    const at = await parseParams(dlqRecordParams, ctx.params);
    const rt = getRuntime();
    const found = await findDeadLetterMessage(await rt.store, at);
    if (!found) throw new HttpError(404, `no dead letter indexed at ${at.topic}/${at.partition}/${at.offset}`);
    const [message] = await rt.decodeOnRead([found.message]);
    return json({ ...found, message });
  });
}
