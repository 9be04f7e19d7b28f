import { getRuntime } from "@/server/runtime";
import { requireViewer } from "@/server/auth/authenticate";
import { flowmapFlowsQuery } from "@/server/contract/flowmap";
import { readMapFlows } from "@/server/flowmap/read-flows";
import { WindowError } from "@/server/flowmap/read-window";
import { BadCursorError } from "@/server/flows/list-recent-flows";
import { handle, HttpError, json, parseQuery } from "@/server/http/respond";

/** The flows behind a step, transition, stop or variant of the map, newest first. */
export function GET(req: Request): Promise<Response> {
  return handle(async () => {
    await requireViewer(req);
    const query = parseQuery(flowmapFlowsQuery, req);
    const rt = getRuntime();
    try {
      return json(await readMapFlows(await rt.store, { query, now: new Date(), stuckAfterMs: rt.config.stuckAfterMs }));
    } catch (err) {
      if (err instanceof WindowError || err instanceof BadCursorError) throw new HttpError(400, err.message);
      throw err;
    }
  });
}
