import { getRuntime } from "@/server/runtime";
import { requireViewer } from "@/server/auth/authenticate";
import { handle, HttpError, json, parseParams, parseQuery } from "@/server/http/respond";
import { dlqMessagesQuery, dlqTopicParams } from "@/server/contract/dlq";
import { BadCursorError } from "@/server/flows/list-recent-flows";
import { listDeadLetterMessages } from "@/server/dlq/list-dead-letter-messages";

export function GET(req: Request, ctx: { params: Promise<{ topic: string }> }): Promise<Response> {
  return handle(async () => {
    await requireViewer(req);
    const { topic } = await parseParams(dlqTopicParams, ctx.params);
    const query = parseQuery(dlqMessagesQuery, req);
    try {
      const rt = getRuntime();
      const page = await listDeadLetterMessages(await rt.store, { ...query, topic });
      if (!page) throw new HttpError(404, `no dead-letter records indexed for topic ${topic}`);
      return json({ ...page, messages: await rt.decodeOnRead(page.messages) });
    } catch (err) {
      if (err instanceof BadCursorError) throw new HttpError(400, err.message);
      throw err;
    }
  });
}
