import "server-only";
// GET /metrics: consumer-group lag, seconds behind and status per group and partition, and
// the tap's own progress, in Prometheus text format, from the latest sampler tick. The figures
// are whatever the sampler stored last: flowtap_lag_sample_age_seconds says how old that is, so
// an alert can tell "lag is flat" from "nobody measured it" (e.g. age > 3 × the interval).
import { sql } from "drizzle-orm";
import type { Store } from "../db/client";
import { isoTs } from "../db/sql";
import type { TapStatus } from "../tap/tap-status";
import type { PartitionRow } from "./compute-tick";
import { sampleAgeSeconds } from "./staleness";
import { LAG_STATUSES, type LagStatus } from "./status";

const esc = (v: string) => v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
const labels = (l: Record<string, string | number>) => `{${Object.entries(l).map(([k, v]) => `${k}="${esc(String(v))}"`).join(",")}}`;

export async function renderMetrics(store: Store, tap: TapStatus, now = new Date()): Promise<string> {
  const groups = await store.rows<{ group_id: string; state: string; status: LagStatus; members: number; partitions: PartitionRow[]; sampled_at: string }>(sql`
    SELECT group_id, state, status, members, partitions, ${isoTs(sql`sampled_at`)} AS sampled_at FROM lag_groups ORDER BY group_id`);
  const lines: string[] = [];
  const metric = (name: string, type: string, help: string, samples: Array<[Record<string, string | number>, number]>) => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [l, v] of samples) lines.push(`${name}${labels(l)} ${v}`);
  };
  const parts = groups.flatMap((g) => g.partitions.map((p) => ({ ...p, group: g.group_id })));
  metric("flowtap_consumergroup_lag", "gauge", "Offset lag (end offset minus committed offset) per partition; absent when the group never committed.",
    parts.filter((p) => p.lag !== null).map((p) => [{ group: p.group, topic: p.topic, partition: p.partition }, p.lag!]));
  metric("flowtap_consumergroup_lag_seconds", "gauge", "Seconds behind the newest record, interpolated from end-offset history.",
    parts.filter((p) => p.timeLagSeconds !== null).map((p) => [{ group: p.group, topic: p.topic, partition: p.partition }, p.timeLagSeconds!]));
  metric("flowtap_consumergroup_partition_status", "gauge", `Burrow-style status per partition: ${LAG_STATUSES.map((s, i) => `${i}=${s}`).join(", ")}.`,
    parts.map((p) => [{ group: p.group, topic: p.topic, partition: p.partition, status: p.status }, LAG_STATUSES.indexOf(p.status)]));
  metric("flowtap_consumergroup_status", "gauge", "Worst partition status of the group (same codes).",
    groups.map((g) => [{ group: g.group_id, status: g.status }, LAG_STATUSES.indexOf(g.status)]));
  metric("flowtap_consumergroup_members", "gauge", "Active members of the group; absent when membership could not be read.",
    groups.filter((g) => g.state !== "Unknown").map((g) => [{ group: g.group_id }, g.members]));
  metric("flowtap_consumergroup_total_lag", "gauge", "Offset lag summed over the group's partitions.",
    groups.map((g) => [{ group: g.group_id }, g.partitions.reduce((s, p) => s + (p.lag ?? 0), 0)]));
  metric("flowtap_lag_sample_age_seconds", "gauge", "Seconds since the group's figures above were sampled; they are stale past 3 sampling intervals.",
    groups.map((g) => [{ group: g.group_id }, sampleAgeSeconds(g.sampled_at, now)]));
  metric("flowtap_tap_running", "gauge", "1 when a tap reported within the last 30 s.", [[{}, tap.running ? 1 : 0]]);
  metric("flowtap_tap_partitions", "gauge", "Partitions assigned to running taps.", [[{}, tap.partitions]]);
  metric("flowtap_tap_indexed_records", "counter", "Records indexed by the running taps since they started (rate() gives throughput).", [[{}, tap.indexed]]);
  metric("flowtap_index_records", "gauge", "Records in the index (estimated above 100k).", [[{}, tap.totalIndexed]]);
  metric("flowtap_tap_stalled", "gauge", "1 when a live tap has records waiting and indexed nothing for FLOWTAP_STALL_AFTER_S, or cannot write.", [[{}, tap.stalled ? 1 : 0]]);
  if (tap.pending !== null) metric("flowtap_tap_pending_records", "gauge", "Records waiting on the live taps' partitions.", [[{}, tap.pending]]);
  metric("flowtap_tap_degraded_records", "gauge", "Records in the index stored in a changed form (see /quarantine).", [[{}, tap.degraded]]);
  metric("flowtap_tap_quarantined_records", "gauge", "Records the store refused even reduced; their coordinates are in /quarantine.", [[{}, tap.quarantined]]);
  if (tap.lastIndexedAt) metric("flowtap_tap_last_indexed_timestamp_seconds", "gauge", "When a tap last wrote a batch.", [[{}, Date.parse(tap.lastIndexedAt) / 1000]]);
  return `${lines.join("\n")}\n`;
}
