import "server-only";
// The lag API's answer, from what the sampler stored: the latest state of each group and
// partition, and downsampled series over the chosen range.
import { sql } from "drizzle-orm";
import type { Store } from "../db/client";
import { isoTs } from "../db/sql";
import type { PartitionRow } from "./compute-tick";
import { isStale, sampleAgeSeconds } from "./staleness";
import { LAG_STATUSES, type LagStatus } from "./status";

/** About this many points per series, whatever the range. */
const POINTS = 120;
/** Longer ranges read the sampler's five-minute rollups instead of every sample. */
const RAW_UP_TO_MS = 6 * 3_600_000;

/** Per-partition points (t, lag, time lag) from the raw samples or the rollups, whichever suits the range. */
function source(since: Date, now: Date) {
  return now.getTime() - since.getTime() <= RAW_UP_TO_MS
    ? sql`(SELECT group_id, topic, partition, t, lag, time_lag_s FROM lag_samples WHERE t >= ${since.toISOString()}::timestamptz)`
    : sql`(SELECT group_id, topic, partition, bucket AS t, lag, time_lag_s FROM lag_rollups WHERE bucket >= ${since.toISOString()}::timestamptz)`;
}

/** `lag`/`timeLag` null: unknown (the group has no commit there), never "0". */
export interface LagSeriesPoint {
  t: string;
  lag: number | null;
  timeLag: number | null;
}

export type GroupState = "Stable" | "Empty" | "PreparingRebalance" | "CompletingRebalance" | "Dead" | "Unknown";

export interface TopicLag {
  topic: string;
  lag: number | null;
  timeLagSeconds: number | null;
  partitions: number;
}

/** Offsets are strings (64-bit); `member` is the client id @ host that owns the partition, null when unassigned. */
export type PartitionLag = Omit<PartitionRow, "groupId"> & { member: string | null };

export interface PartitionSeries {
  topic: string;
  partition: number;
  points: LagSeriesPoint[];
}

export interface LagMarker {
  t: string;
  kind: "rebalance" | "status";
  detail: string;
}

export interface GroupLag {
  group: string;
  state: GroupState;
  /** null: membership could not be read on the latest tick. */
  members: number | null;
  /** When this group was last sampled, its age at the answer's time, and whether that is too old (see staleness.ts). */
  sampledAt: string;
  sampleAgeSeconds: number;
  stale: boolean;
  status: LagStatus;
  reason: string;
  lag: number | null;
  timeLagSeconds: number | null;
  topics: TopicLag[];
  partitions: PartitionLag[];
  series: LagSeriesPoint[];
  /** Only when the request names one group. */
  partitionSeries?: PartitionSeries[];
  markers?: LagMarker[];
}

/** GET /api/lag. */
export interface LagAnswer {
  /** The sampler's latest tick; null before its first. */
  sampledAt: string | null;
  /** Age of `sampledAt` when answered; null before the first tick. */
  sampleAgeSeconds: number | null;
  /** The latest tick is older than three intervals: the sampler has stopped, the figures are old. */
  stale: boolean;
  intervalS: number;
  groups: GroupLag[];
}

type GroupRow = {
  group_id: string;
  state: GroupState;
  members: number;
  assignments: Record<string, { clientId: string; host: string; assignment: Record<string, number[]> }>;
  status: LagStatus;
  reason: string;
  partitions: PartitionRow[];
  sampled_at: string;
};

const severity = (s: LagStatus) => LAG_STATUSES.indexOf(s);
const sumOrNull = (xs: Array<number | null>) => (xs.some((x) => x !== null) ? xs.reduce<number>((a, b) => a + (b ?? 0), 0) : null);
const maxOrNull = (xs: Array<number | null>) => (xs.some((x) => x !== null) ? Math.max(...xs.filter((x): x is number => x !== null)) : null);

function bucketSeconds(since: Date, now: Date, intervalMs: number): number {
  return Math.max(intervalMs / 1000, Math.ceil((now.getTime() - since.getTime()) / 1000 / POINTS));
}

export async function getLag(store: Store, input: { group?: string; since: Date; now: Date; intervalMs: number }): Promise<Omit<LagAnswer, "intervalS">> {
  const groups = await store.rows<GroupRow>(sql`
    SELECT group_id, state, members, assignments, status, reason, partitions, ${isoTs(sql`sampled_at`)} AS sampled_at FROM lag_groups
    ${input.group ? sql`WHERE group_id = ${input.group}` : sql``}`);
  if (groups.length === 0) return { sampledAt: null, sampleAgeSeconds: null, stale: false, groups: [] };
  const sampledAt = groups.map((g) => g.sampled_at).sort().at(-1)!;
  const age = sampleAgeSeconds(sampledAt, input.now);
  const ids = groups.map((g) => g.group_id);
  const idList = sql`(SELECT json_array_elements_text(${JSON.stringify(ids)}::json))`;
  const bucket = bucketSeconds(input.since, input.now, input.intervalMs);
  const series = await store.rows<{ group_id: string; t: string; lag: number | null; time_lag: number | null }>(sql`
    WITH per_tick AS (
      SELECT group_id, t, sum(lag)::float8 AS lag, max(time_lag_s)::float8 AS time_lag
      FROM ${source(input.since, input.now)} AS s WHERE group_id IN ${idList}
      GROUP BY group_id, t
    )
    SELECT group_id, ${isoTs(sql`date_bin(make_interval(secs => ${bucket}), t, ${input.since.toISOString()}::timestamptz)`)} AS t,
           max(lag) AS lag, max(time_lag) AS time_lag
    FROM per_tick GROUP BY 1, 2 ORDER BY 1, 2`);

  const out: GroupLag[] = groups.map((g) => {
    const mine = [...g.partitions].sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
    const owner = (topic: string, partition: number) => {
      for (const m of Object.values(g.assignments)) if (m.assignment[topic]?.includes(partition)) return `${m.clientId} @ ${m.host}`;
      return null;
    };
    const groupAge = sampleAgeSeconds(g.sampled_at, input.now);
    const topics = [...new Set(mine.map((p) => p.topic))].map((topic) => {
      const ps = mine.filter((p) => p.topic === topic);
      return { topic, lag: sumOrNull(ps.map((p) => p.lag)), timeLagSeconds: maxOrNull(ps.map((p) => p.timeLagSeconds)), partitions: ps.length };
    });
    return {
      group: g.group_id,
      state: g.state,
      members: g.state === "Unknown" ? null : g.members,
      sampledAt: g.sampled_at,
      sampleAgeSeconds: groupAge,
      stale: isStale(groupAge, input.intervalMs),
      status: g.status,
      reason: g.reason,
      lag: sumOrNull(mine.map((p) => p.lag)),
      timeLagSeconds: maxOrNull(mine.map((p) => p.timeLagSeconds)),
      topics,
      partitions: mine.map(({ groupId: _group, ...p }) => ({ ...p, member: owner(p.topic, p.partition) })),
      series: series.filter((s) => s.group_id === g.group_id).map((s) => ({ t: s.t, lag: s.lag, timeLag: s.time_lag })),
    };
  });
  if (input.group && out[0]) await addDetail(store, out[0], input.since, input.now, bucket);
  out.sort((a, b) => severity(b.status) - severity(a.status) || (b.lag ?? -1) - (a.lag ?? -1) || a.group.localeCompare(b.group));
  return { sampledAt, sampleAgeSeconds: age, stale: isStale(age, input.intervalMs), groups: out };
}

async function addDetail(store: Store, g: GroupLag, since: Date, now: Date, bucket: number): Promise<void> {
  const rows = await store.rows<{ topic: string; partition: number; t: string; lag: number | null; time_lag: number | null }>(sql`
    SELECT topic, partition, ${isoTs(sql`date_bin(make_interval(secs => ${bucket}), t, ${since.toISOString()}::timestamptz)`)} AS t,
           max(lag)::float8 AS lag, max(time_lag_s)::float8 AS time_lag
    FROM ${source(since, now)} AS s WHERE group_id = ${g.group}
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`);
  const byPartition = new Map<string, PartitionSeries>();
  for (const r of rows) {
    const k = `${r.topic}\u0000${r.partition}`;
    if (!byPartition.has(k)) byPartition.set(k, { topic: r.topic, partition: r.partition, points: [] });
    byPartition.get(k)!.points.push({ t: r.t, lag: r.lag, timeLag: r.time_lag });
  }
  g.partitionSeries = [...byPartition.values()];
  g.markers = await store.rows<LagMarker>(sql`
    SELECT ${isoTs(sql`t`)} AS t, kind, detail FROM lag_events WHERE group_id = ${g.group} AND t >= ${since.toISOString()}::timestamptz ORDER BY t LIMIT 500`);
}
