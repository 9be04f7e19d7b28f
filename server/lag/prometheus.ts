import "server-only";
// GET /metrics: consumer-group lag, seconds behind and status per group and partition, the same
// lag under kafka-lag-exporter's names (prometheus-compat.ts), the flow map's counters, stuck
// flows and transition histogram (server/flowmap/metrics.ts), and the tap's own progress, in
// Prometheus text format. The lag figures are whatever the sampler stored last:
// flowtap_lag_sample_age_seconds says how old that is, so an alert can tell "lag is flat" from
// "nobody measured it" (e.g. age > 3 × the interval).
import { sql } from "drizzle-orm";
import type { Store } from "../db/client";
import { isoTs } from "../db/sql";
import { flowMetricFamilies } from "../flowmap/metrics";
import type { TapStatus } from "../tap/tap-status";
import type { PartitionRow } from "./compute-tick";
import { family, renderFamilies, type Labels, type MetricFamily } from "./exposition";
import { kafkaLagExporterFamilies, type PartitionOffsets } from "./prometheus-compat";
import { sampleAgeSeconds } from "./staleness";
import { LAG_STATUSES, type LagStatus } from "./status";

export interface MetricsOptions {
  /** kafka-lag-exporter's cluster_name label. */
  clusterName?: string;
  /** For flowtap_flow_stuck; without them the stuck gauge uses the defaults (300 s, 7 days). */
  stuckAfterMs?: number;
  retentionDays?: number;
}

type GroupRow = {
  group_id: string; state: string; status: LagStatus; members: number; partitions: PartitionRow[]; sampled_at: string;
  assignments: Record<string, { clientId: string; host: string; assignment: Record<string, number[]> }>;
};

export async function renderMetrics(store: Store, tap: TapStatus, now = new Date(), opts: MetricsOptions = {}): Promise<string> {
  const groups = await store.rows<GroupRow>(sql`
    SELECT group_id, state, status, members, partitions, assignments, ${isoTs(sql`sampled_at`)} AS sampled_at FROM lag_groups ORDER BY group_id`);
  // End and start offsets of the sampler's latest tick (offset_samples_t_idx finds it).
  const offsets = await store.rows<{ topic: string; partition: number; latest: string; earliest: string | null }>(sql`
    SELECT topic, partition, end_offset::text AS latest, start_offset::text AS earliest FROM offset_samples
    WHERE t = (SELECT max(t) FROM offset_samples) ORDER BY topic, partition`);
  const flows = await flowMetricFamilies(store, { now, stuckAfterMs: opts.stuckAfterMs ?? 300_000, retentionDays: opts.retentionDays ?? 7 });
  return renderFamilies([
    ...lagFamilies(groups, now),
    ...kafkaLagExporterFamilies(opts.clusterName ?? "default", groups.map((g) => ({ group: g.group_id, assignments: g.assignments, partitions: g.partitions })),
      offsets.map((o): PartitionOffsets => ({ ...o, partition: Number(o.partition) }))),
    ...flows,
    ...tapFamilies(tap),
  ]);
}

function lagFamilies(groups: readonly GroupRow[], now: Date): MetricFamily[] {
  const parts = groups.flatMap((g) => g.partitions.map((p) => ({ ...p, group: g.group_id })));
  const gtp = (p: (typeof parts)[number]): Labels => ({ group: p.group, topic: p.topic, partition: p.partition });
  return [
    family("flowtap_consumergroup_lag", "gauge", "Offset lag (end offset minus committed offset) per partition; absent when the group never committed.",
      parts.filter((p) => p.lag !== null).map((p) => [gtp(p), p.lag!])),
    family("flowtap_consumergroup_lag_seconds", "gauge",
      "Seconds behind: now minus the indexed timestamp of the first unread record, or interpolated from end-offset history when that record is not indexed.",
      parts.filter((p) => p.timeLagSeconds !== null).map((p) => [gtp(p), p.timeLagSeconds!])),
    family("flowtap_consumergroup_partition_status", "gauge", `Burrow-style status per partition: ${LAG_STATUSES.map((s, i) => `${i}=${s}`).join(", ")}.`,
      parts.map((p) => [{ ...gtp(p), status: p.status }, LAG_STATUSES.indexOf(p.status)])),
    family("flowtap_consumergroup_status", "gauge", "Worst partition status of the group (same codes).",
      groups.map((g) => [{ group: g.group_id, status: g.status }, LAG_STATUSES.indexOf(g.status)])),
    family("flowtap_consumergroup_members", "gauge", "Active members of the group; absent when membership could not be read.",
      groups.filter((g) => g.state !== "Unknown").map((g) => [{ group: g.group_id }, g.members])),
    family("flowtap_consumergroup_total_lag", "gauge", "Offset lag summed over the group's partitions.",
      groups.map((g) => [{ group: g.group_id }, g.partitions.reduce((s, p) => s + (p.lag ?? 0), 0)])),
    family("flowtap_lag_sample_age_seconds", "gauge", "Seconds since the group's figures above were sampled; they are stale past 3 sampling intervals.",
      groups.map((g) => [{ group: g.group_id }, sampleAgeSeconds(g.sampled_at, now)])),
  ];
}

function tapFamilies(tap: TapStatus): MetricFamily[] {
  const one = (name: string, type: "gauge" | "counter", help: string, v: number) => family(name, type, help, [[{}, v]]);
  return [
    one("flowtap_tap_running", "gauge", "1 when a tap reported within the last 30 s.", tap.running ? 1 : 0),
    one("flowtap_tap_partitions", "gauge", "Partitions assigned to running taps.", tap.partitions),
    one("flowtap_tap_indexed_records", "counter", "Records indexed by the running taps since they started (rate() gives throughput).", tap.indexed),
    one("flowtap_index_records", "gauge", "Records in the index (estimated above 100k).", tap.totalIndexed),
    one("flowtap_tap_stalled", "gauge", "1 when a live tap has records waiting and indexed nothing for FLOWTAP_STALL_AFTER_S, or cannot write.", tap.stalled ? 1 : 0),
    ...(tap.pending !== null ? [one("flowtap_tap_pending_records", "gauge", "Records waiting on the live taps' partitions.", tap.pending)] : []),
    one("flowtap_tap_degraded_records", "gauge", "Records in the index stored in a changed form (see /quarantine).", tap.degraded),
    one("flowtap_tap_quarantined_records", "gauge", "Records the store refused even reduced; their coordinates are in /quarantine.", tap.quarantined),
    ...(tap.lastIndexedAt ? [one("flowtap_tap_last_indexed_timestamp_seconds", "gauge", "When a tap last wrote a batch.", Date.parse(tap.lastIndexedAt) / 1000)] : []),
  ];
}
