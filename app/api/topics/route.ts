import { getRuntime } from "@/server/runtime";
import { requireViewer } from "@/server/auth/authenticate";
import { handle, HttpError, json, parseQuery } from "@/server/http/respond";
import { topicsQuery, type TopicsAnswer } from "@/server/contract/topics";
import { findTopic, listTopics } from "@/server/topics/list-topics";

// Every indexed topic from the per-partition counters; `?topic=` adds that topic's partitions.
export function GET(req: Request): Promise<Response> {
  return handle(async () => {
    await requireViewer(req);
    const { topic } = parseQuery(topicsQuery, req);
    const store = await getRuntime().store;
    if (topic === undefined) return json({ topics: await listTopics(store) } satisfies TopicsAnswer);
    const found = await findTopic(store, topic);
    if (!found) throw new HttpError(404, "no records of this topic are indexed");
    return json({ topics: [found] } satisfies TopicsAnswer);
  });
}
