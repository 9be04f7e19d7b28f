import "server-only";
// Retention of the flow map (called by server/retention/prune-index.ts). Per-minute and per-hour
// rows go when their t is past the cutoff, like the events they count; grain 0 (all time) stays.
// A flow's members row goes with its flows row: while that row lives, the flow may get events,
// and its members row is what says its contribution is in the tables (server/flowmap/sync-flows.ts).
import { sql } from "drizzle-orm";
import type { Store } from "../db/client";
import { BATCH_ROWS, deleteByTime } from "../retention/batched-delete";
import { TABLE_NAMES } from "../analysis/flowmap-rows";
import { PHYSICAL } from "./apply-delta";

export const FLOWMAP_TABLES = [...TABLE_NAMES.map((t) => PHYSICAL[t]), "flowmap_members"];

/**
 * Deletes one grain's rows wholly before the cutoff (t + grain ≤ cutoff), walking the primary key
 * (grain, t, …) in windows of BATCH_ROWS rows as deleteByTime walks a time index: each statement
 * is short, and the dead rows a batch leaves are not scanned again. A window never ends inside
 * one t (an hour can hold more than BATCH_ROWS rows): then it takes that whole t.
 */
async function deleteGrain(store: Store, table: string, grain: number, cutoff: Date): Promise<number> {
  const t = sql.identifier(table);
  const size = grain * 1000;
  const end = new Date(Math.floor(cutoff.getTime() / size) * size).toISOString();
  let lo = "-infinity";
  let total = 0;
  for (;;) {
    const [r] = await store.rows<{ n: number; hi: string; done: boolean }>(sql`
      WITH bound AS MATERIALIZED (
        SELECT t AS b FROM ${t} WHERE grain = ${grain} AND t >= ${lo}::timestamptz AND t < ${end}::timestamptz
        ORDER BY t OFFSET ${BATCH_ROWS} LIMIT 1
      ), win AS MATERIALIZED (
        SELECT CASE WHEN NOT EXISTS (SELECT 1 FROM bound) THEN ${end}::timestamptz
                    WHEN (SELECT b FROM bound) > ${lo}::timestamptz THEN (SELECT b FROM bound)
                    ELSE ${lo}::timestamptz + interval '1 microsecond' END AS hi
      ), gone AS (
        DELETE FROM ${t} WHERE grain = ${grain} AND t >= ${lo}::timestamptz AND t < (SELECT hi FROM win) RETURNING 1
      )
      SELECT (SELECT count(*) FROM gone)::int AS n,
             to_char((SELECT hi FROM win) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS hi,
             NOT EXISTS (SELECT 1 FROM bound) AS done`);
    total += r?.n ?? 0;
    if (!r || r.done) return total;
    lo = r.hi;
  }
}

export interface FlowmapPruneResult {
  flowmapRows: number;
  flowmapMembers: number;
}

/** Run after `flows` is pruned: members of flows still there are kept. */
export async function pruneFlowmap(store: Store, cutoff: Date): Promise<FlowmapPruneResult> {
  let rows = 0;
  for (const table of TABLE_NAMES) {
    for (const grain of [60, 3600]) rows += await deleteGrain(store, PHYSICAL[table], grain, cutoff);
  }
  const members = await deleteByTime(store, "flowmap_members", "last_seen", cutoff,
    sql`NOT EXISTS (SELECT 1 FROM flows f WHERE f.correlation_id = flowmap_members.correlation_id)`);
  return { flowmapRows: rows, flowmapMembers: members };
}
