import "server-only";
/**
 * The tap's side of the flow map. The events statement (server/tap/write-events.ts) queues every
 * event it actually inserts in flowmap_pending, in the same statement: a re-read inserts nothing
 * and queues nothing. The deferred pass (pass.ts) folds the queue into the aggregates. So a chunk
 * costs one INSERT more, not a read of its ~1,000 flows' events and their recomputation (measured
 * before: 33 ms events statement + 53–67 ms of map work per 1,000-record chunk; 9,158 vs 27,421
 * records/s).
 *
 * Displacement (a re-created topic): the old generation's rows are deleted, and what they added to
 * the map must go with them while their contents still exist. In the displacement's transaction,
 * before the delete (detachDisplaced):
 *   1. pg_advisory_xact_lock(FLOWMAP_PASS_LOCK), blocking: no pass runs from here to our commit,
 *      and the map (members, aggregates) is as the last committed pass left it;
 *   2. the displaced flows' rows in `flows` are locked in correlation-ID order, so no event of
 *      theirs commits until ours does (every events statement upserts its flows row);
 *   3. each such flow's recorded contribution (from its non-pending events, as the pass computed
 *      it) is subtracted and its members row deleted (syncFlows "detach");
 *   4. queue rows at the displaced keys are deleted, every other queue row of those flows is
 *      rewritten (UPDATE: a new row version), and every remaining event of those flows not queued
 *      yet is queued (NOT EXISTS: the queue has no key, each event is in it at most once). The pass
 *      then adds each flow back whole, from its remaining events (no members row: nothing to subtract).
 * Why 4 rewrites existing rows: a pass takes the lock in its first statement, but its snapshot is
 * taken when that statement starts, a moment before. A displacement committing in between is
 * invisible to that pass although the pass holds the lock after it. Such a pass can only have
 * picked a displaced flow through a queue row committed before our step 2 (later ones wait for our
 * commit), step 4 rewrote every one of those, and the pass deletes the rows it picks: at REPEATABLE
 * READ that delete fails with 40001 and the pass is retried on a fresh snapshot. Passes that did not
 * pick a displaced flow commute with the detach (additive rows; 40001 where they share a row).
 *
 * Retention: `events` is pruned by indexed_at, grain 60/3600 rows by their t and members with
 * their flows row (server/flowmap/prune.ts); grain-0 rows are never pruned, so "all time" keeps
 * flows whose events are gone. A flow that lost events to retention is frozen (its recorded
 * contribution can no longer be recomputed): it keeps what it had.
 */
import { sql } from "drizzle-orm";
import type { Store } from "../db/client";
import type { ChunkFlowmap } from "../tap/write-events";
import { NO_OUTCOME, syncFlows } from "./sync-flows";
import type { FlowmapOptions } from "./options";

/** The advisory lock key of the flow-map pass (one pass at a time per database); the migration's is 7_214_420_001. */
export const FLOWMAP_PASS_LOCK = 7_214_420_012;

/** Flows of the stored rows the chunk is about to displace (same condition as displaceOldGeneration), sorted. */
async function displacedFlows(tx: Store, json: string): Promise<string[]> {
  const rows = await tx.rows<{ cid: string }>(sql`
    SELECT DISTINCT e.correlation_id AS cid
    FROM json_to_recordset(${json}::json) AS b(topic text, partition int, "offset" bigint, ts timestamptz, size int, key text)
    JOIN events e ON e.topic = b.topic AND e.partition = b.partition AND e."offset" = b."offset"
    WHERE (e.ts <> b.ts OR e.size <> b.size OR e.key IS DISTINCT FROM b.key) AND e.correlation_id IS NOT NULL
    ORDER BY 1`);
  return rows.map((r) => r.cid);
}

async function detachDisplaced(tx: Store, json: string, terminalEvents: RegExp, options: FlowmapOptions): Promise<void> {
  await tx.rows(sql`SELECT pg_advisory_xact_lock(${FLOWMAP_PASS_LOCK})`);
  const ids = await displacedFlows(tx, json);
  const idsJson = JSON.stringify(ids);
  let outcome = NO_OUTCOME;
  if (ids.length > 0) {
    await tx.rows(sql`
      SELECT 1 FROM flows WHERE correlation_id IN (SELECT json_array_elements_text(${idsJson}::json)) ORDER BY correlation_id FOR UPDATE`);
    const pending = await tx.rows<{ cid: string; n: number }>(sql`
      SELECT correlation_id AS cid, count(*)::int AS n FROM flowmap_pending
      WHERE correlation_id IN (SELECT json_array_elements_text(${idsJson}::json)) GROUP BY 1`);
    const counts = new Map(ids.map((cid) => [cid, 0] as [string, number]));
    for (const p of pending) counts.set(p.cid, p.n);
    const config = { flowTypes: options.flowTypes, terminalEvents, maxEvents: options.maxEvents };
    outcome = await syncFlows(tx, counts, config, "detach");
  }
  // The displaced keys leave the queue (their events are about to go); the new generation queues its own.
  // A queue row holds its event's correlation ID: matching on it lets the queue's one index serve.
  await tx.rows(sql`
    DELETE FROM flowmap_pending p
    USING json_to_recordset(${json}::json) AS b(topic text, partition int, "offset" bigint, ts timestamptz, size int, key text), events e
    WHERE p.correlation_id = e.correlation_id AND p.topic = b.topic AND p.partition = b.partition AND p."offset" = b."offset"
      AND e.topic = b.topic AND e.partition = b.partition AND e."offset" = b."offset"
      AND (e.ts <> b.ts OR e.size <> b.size OR e.key IS DISTINCT FROM b.key)`);
  if (ids.length > 0) {
    await tx.rows(sql`
      UPDATE flowmap_pending SET correlation_id = correlation_id
      WHERE correlation_id IN (SELECT json_array_elements_text(${idsJson}::json))`);
    // Every remaining event queued again (a flow over twice the cap gets one row: it only needs to
    // be dirty, and the pass's count check skips it while it stays over the cap).
    await tx.rows(sql`
      WITH d AS (SELECT json_array_elements_text(${idsJson}::json) AS cid),
      gone AS (
        SELECT b.topic, b.partition, b."offset"
        FROM json_to_recordset(${json}::json) AS b(topic text, partition int, "offset" bigint, ts timestamptz, size int, key text)
        JOIN events e ON e.topic = b.topic AND e.partition = b.partition AND e."offset" = b."offset"
        WHERE e.ts <> b.ts OR e.size <> b.size OR e.key IS DISTINCT FROM b.key
      ),
      keep AS (
        SELECT e.topic, e.partition, e."offset", e.correlation_id,
               row_number() OVER (PARTITION BY e.correlation_id ORDER BY e.topic, e.partition, e."offset") AS k, f.events
        FROM d JOIN flows f ON f.correlation_id = d.cid JOIN events e ON e.correlation_id = d.cid
        WHERE NOT EXISTS (SELECT 1 FROM gone g WHERE g.topic = e.topic AND g.partition = e.partition AND g."offset" = e."offset")
      )
      INSERT INTO flowmap_pending AS p (topic, partition, "offset", correlation_id)
      SELECT topic, partition, "offset", correlation_id FROM keep
      WHERE (events <= ${2 * options.maxEvents} OR k = 1)
        AND NOT EXISTS (SELECT 1 FROM flowmap_pending q WHERE q.correlation_id = keep.correlation_id
                          AND q.topic = keep.topic AND q.partition = keep.partition AND q."offset" = keep."offset")`);
  }
  options.report?.(outcome);
}

/** What the events statement does for the flow map: queue its inserts, and detach displaced flows. */
export function chunkFlowmap(options: FlowmapOptions, terminalEvents: RegExp): ChunkFlowmap {
  if (!options.enabled) return { pending: false };
  return { pending: true, beforeDisplace: (tx, json) => detachDisplaced(tx, json, terminalEvents, options) };
}
