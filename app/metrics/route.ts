import { getRuntime } from "@/server/runtime";
import { handle } from "@/server/http/respond";
import { requireViewer } from "@/server/auth/authenticate";
import { renderMetrics } from "@/server/lag/prometheus";
import { readTapStatus } from "@/server/tap/tap-status";

export function GET(req: Request): Promise<Response> {
  return handle(async () => {
    await requireViewer(req);
    const { config, store: opening } = getRuntime();
    const store = await opening;
    // cluster_name (kafka-lag-exporter's label) names the cluster by its bootstrap servers.
    const body = await renderMetrics(store, await readTapStatus(store), new Date(), {
      clusterName: config.kafka.brokers.join(","),
      stuckAfterMs: config.stuckAfterMs,
      retentionDays: config.retentionDays,
    });
    return new Response(body, { headers: { "content-type": "text/plain; version=0.0.4; charset=utf-8", "cache-control": "no-store" } });
  });
}
