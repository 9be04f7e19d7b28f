import { getRuntime } from "@/server/runtime";
import { requireViewer } from "@/server/auth/authenticate";
import { handle, HttpError, json, parseQuery } from "@/server/http/respond";
import { flowsQuery } from "@/server/contract/api";
import { BadCursorError, listRecentFlows } from "@/server/flows/list-recent-flows";

export function GET(req: Request): Promise<Response> {
  return handle(async () => {
    await requireViewer(req);
    const query = parseQuery(flowsQuery, req);
    const rt = getRuntime();
    try {
      const page = await listRecentFlows(await rt.store, { ...query, now: new Date(), stuckAfterMs: rt.config.stuckAfterMs });
      return json(page);
    } catch (err) {
      if (err instanceof BadCursorError) throw new HttpError(400, err.message);
      throw err;
    }
  });
}
