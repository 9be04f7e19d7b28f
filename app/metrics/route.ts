import { getRuntime } from "@/server/runtime";
import { handle } from "@/server/http/respond";
import { requireViewer } from "@/server/auth/authenticate";
import { renderMetrics } from "@/server/lag/prometheus";
import { readTapStatus } from "@/server/tap/tap-status";

export function GET(req: Request): Promise<Response> {
  return handle(async () => {
    await requireViewer(req);
    const store = await getRuntime().store;
    const body = await renderMetrics(store, await readTapStatus(store));
    return new Response(body, { headers: { "content-type": "text/plain; version=0.0.4; charset=utf-8", "cache-control": "no-store" } });
  });
}
