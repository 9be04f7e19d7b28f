import "server-only";
/**
 * Retention's events delete, with the topic browser's counters kept true: deleteByTime
 * (server/retention/batched-delete.ts) walking events_indexed_at_idx in windows of BATCH_ROWS,
 * where each window's DELETE also subtracts what it removed from topic_partitions in the same
 * statement. Then, once per run, the partitions it touched get their oldest and newest offset
 * and time again from what remains (visible only after the deletes), and partitions left empty go.
 */
import { sql } from "drizzle-orm";
import type { Store } from "../db/client";
import { BATCH_ROWS } from "../retention/batched-delete";
import { settleExtent, uncountDeleted, type Touched } from "./partition-counters";

const US = `'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'`;

/** Deletes events indexed before `cutoff`; returns how many. */
export async function pruneEvents(store: Store, cutoff: Date): Promise<number> {
  const end = cutoff.toISOString();
  const touched = new Map<string, { topic: string; partition: number }>();
  let lo = "-infinity";
  let total = 0;
  for (;;) {
    // The window [lo, hi) as in deleteByTime: hi is the indexed_at BATCH_ROWS rows after lo.
    const [r] = await store.rows<{ n: number; hi: string; done: boolean; touched: Touched | null }>(sql`
      WITH bound AS MATERIALIZED (
        SELECT indexed_at AS b FROM events WHERE indexed_at >= ${lo}::timestamptz AND indexed_at < ${end}::timestamptz
        ORDER BY indexed_at OFFSET ${BATCH_ROWS} LIMIT 1
      ), win AS MATERIALIZED (
        SELECT CASE WHEN NOT EXISTS (SELECT 1 FROM bound) THEN ${end}::timestamptz
                    WHEN (SELECT b FROM bound) > ${lo}::timestamptz THEN (SELECT b FROM bound)
                    ELSE ${lo}::timestamptz + interval '1 microsecond' END AS hi
      ), gone AS (
        DELETE FROM events WHERE indexed_at >= ${lo}::timestamptz AND indexed_at < (SELECT hi FROM win)
        RETURNING topic, partition
      ), uncounted AS (${uncountDeleted(sql`gone`)})
      SELECT (SELECT count(*) FROM gone)::int AS n,
             to_char((SELECT hi FROM win) AT TIME ZONE 'UTC', ${sql.raw(US)}) AS hi,
             NOT EXISTS (SELECT 1 FROM bound) AS done,
             (SELECT json_agg(json_build_object('topic', topic, 'partition', partition)) FROM uncounted) AS touched`);
    total += r?.n ?? 0;
    for (const t of r?.touched ?? []) touched.set(`${t.partition}/${t.topic}`, t);
    if (!r || r.done) break;
    lo = r.hi;
  }
  if (touched.size > 0) await settleExtent(store, [...touched.values()]);
  return total;
}
