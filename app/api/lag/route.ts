import { getRuntime } from "@/server/runtime";
import { handle, HttpError, json, parseQuery } from "@/server/http/respond";
import { LAG_SINCE_HINT, lagQuery, lagSinceMs } from "@/server/contract/api";
import { requireViewer } from "@/server/auth/authenticate";
import { getLag } from "@/server/lag/get-lag";

export function GET(req: Request): Promise<Response> {
  return handle(async () => {
    await requireViewer(req);
    const { group, since } = parseQuery(lagQuery, req);
    const rt = getRuntime();
    const now = new Date();
    const sinceMs = lagSinceMs(since, now.getTime());
    if (sinceMs === null) throw new HttpError(400, `since: ${LAG_SINCE_HINT}`);
    const lag = await getLag(await rt.store, { group, since: new Date(sinceMs), now, intervalMs: rt.config.lagIntervalMs });
    if (group && lag.groups.length === 0) throw new HttpError(404, `no consumer group ${JSON.stringify(group.slice(0, 200))} has been sampled`);
    return json({ ...lag, intervalS: rt.config.lagIntervalMs / 1000 });
  });
}
