import { getRuntime } from "@/server/runtime";
import { requireViewer } from "@/server/auth/authenticate";
import { handle, HttpError, json, parseParams, parseQuery } from "@/server/http/respond";
import { topicParams, topicRecordsQuery } from "@/server/contract/topics";
import { BadCursorError } from "@/server/flows/list-recent-flows";
import { listTopicRecords } from "@/server/topics/list-topic-records";

export function GET(req: Request, ctx: { params: Promise<{ topic: string }> }): Promise<Response> {
  return handle(async () => {
    await requireViewer(req);
    const { topic } = await parseParams(topicParams, ctx.params);
    const query = parseQuery(topicRecordsQuery, req);
    try {
      const page = await listTopicRecords(await getRuntime().store, { ...query, topic });
      if (!page) throw new HttpError(404, "no records of this topic are indexed");
      // Records indexed as binary while their schema was not to be had are decoded for the answer.
      return json({ ...page, records: await getRuntime().decodeOnRead(page.records) });
    } catch (err) {
      if (err instanceof BadCursorError) throw new HttpError(400, err.message);
      throw err;
    }
  });
}
