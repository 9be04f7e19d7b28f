import { getRuntime } from "@/server/runtime";
import { requireViewer } from "@/server/auth/authenticate";
import { handle, json, parseQuery } from "@/server/http/respond";
import { dlqTopicsQuery } from "@/server/contract/dlq";
import { listDeadLetterTopics } from "@/server/dlq/list-dead-letter-topics";

export function GET(req: Request): Promise<Response> {
  return handle(async () => {
    await requireViewer(req);
    const query = parseQuery(dlqTopicsQuery, req);
    const topics = await listDeadLetterTopics(await getRuntime().store, query);
    return json({ topics });
  });
}
