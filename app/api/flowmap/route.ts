import { getRuntime } from "@/server/runtime";
import { requireViewer } from "@/server/auth/authenticate";
import { flowmapQuery } from "@/server/contract/flowmap";
import { readFlowMap } from "@/server/flowmap/read-map";
import { WindowError } from "@/server/flowmap/read-window";
import { handle, HttpError, json, parseQuery } from "@/server/http/respond";

/** The flow map of a window (15 min … 7 days, default the last hour) against its baseline. */
export function GET(req: Request): Promise<Response> {
  return handle(async () => {
    await requireViewer(req);
    const query = parseQuery(flowmapQuery, req);
    const rt = getRuntime();
    try {
      return json(await readFlowMap(await rt.store, { query, now: new Date(), stuckAfterMs: rt.config.stuckAfterMs }));
    } catch (err) {
      if (err instanceof WindowError) throw new HttpError(400, err.message);
      throw err;
    }
  });
}
