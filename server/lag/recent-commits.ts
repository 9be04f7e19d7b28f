import "server-only";
// A group's committed and end offsets per partition over the last few minutes, as the sampler
// stored them at every tick: what eta.ts measures a consumption rate from.
import { sql } from "drizzle-orm";
import type { Store } from "../db/client";
import type { CommitSample } from "./eta";

/**
 * Five minutes, or five ticks when the interval is longer: enough ticks for a rate (30 at the
 * default 10 s), short enough that it is the group's current pace, not this morning's.
 */
export function rateWindowMs(intervalMs: number): number {
  return Math.max(5 * 60_000, 5 * intervalMs);
}

/** Pairs read at most per call: a flow touching more (group, topic) pairs gets no ETA for the rest. */
export const MAX_PAIRS = 50;

export const pairKey = (group: string, topic: string) => `${group}\u0000${topic}`;

/** pairKey(group, topic) → partition → samples in time order. */
export async function readRecentCommits(
  store: Store, pairs: ReadonlyArray<{ group: string; topic: string }>, since: Date,
): Promise<Map<string, Map<number, CommitSample[]>>> {
  const out = new Map<string, Map<number, CommitSample[]>>();
  if (pairs.length === 0) return out;
  // The primary key (group_id, topic, partition, t) serves each pair as one range.
  const rows = await store.rows<{ group_id: string; topic: string; partition: number; t_ms: number; committed: string | null; end_offset: string }>(sql`
    SELECT s.group_id, s.topic, s.partition, (extract(epoch FROM s.t) * 1000)::float8 AS t_ms, s.committed::text AS committed, s.end_offset::text AS end_offset
    FROM json_to_recordset(${JSON.stringify(pairs.slice(0, MAX_PAIRS))}::json) AS x("group" text, topic text)
    JOIN lag_samples s ON s.group_id = x."group" AND s.topic = x.topic AND s.t >= ${since.toISOString()}::timestamptz
    ORDER BY s.group_id, s.topic, s.partition, s.t`);
  for (const r of rows) {
    const key = pairKey(r.group_id, r.topic);
    if (!out.has(key)) out.set(key, new Map());
    const parts = out.get(key)!;
    const p = Number(r.partition);
    if (!parts.has(p)) parts.set(p, []);
    parts.get(p)!.push({ t: Number(r.t_ms), committed: r.committed === null ? null : BigInt(r.committed), end: BigInt(r.end_offset) });
  }
  return out;
}
