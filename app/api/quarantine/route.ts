import { getRuntime } from "@/server/runtime";
import { requireViewer } from "@/server/auth/authenticate";
import { handle, json, parseQuery } from "@/server/http/respond";
import { setAsideQuery } from "@/server/contract/api";
import { listSetAside } from "@/server/tap/list-set-aside";

/** Records stored degraded or quarantined, newest first. */
export function GET(req: Request): Promise<Response> {
  return handle(async () => {
    await requireViewer(req);
    const { limit } = parseQuery(setAsideQuery, req);
    return json(await listSetAside(await getRuntime().store, limit));
  });
}
