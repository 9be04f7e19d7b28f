import "server-only";
// The map is a running sum; it is only right for the settings it was summed under. Turned off
// for a while (FLOWTAP_FLOWMAP=off), the tap queues nothing and the flows written meanwhile would
// never reach the map; with other FLOWTAP_FLOW_TYPES, old flows would keep their old type names;
// an install from before the map (migration 0008) has events the map never saw. None of it would
// show. So the tap reconciles at start, before its first pass:
//   same settings              → nothing;
//   off                        → the queue is dropped (nothing will fold it), the row says "off",
//                                and the map's answer says it is off and since when;
//   changed, or no row while
//   events are indexed         → the aggregates and members are emptied and every indexed event
//                                queued again: the passes rebuild the map, and the answer's
//                                `queued` shows the way there.
// Retention has already removed what it removed: a rebuilt all-time row counts the events kept.
import { sql } from "drizzle-orm";
import type { MapMaintained } from "../contract/flowmap";
import type { Store } from "../db/client";
import { isoTs } from "../db/sql";
import type { FlowmapOptions } from "./options";
import { inTransaction } from "./transaction";
import { FLOWMAP_PASS_LOCK } from "./write-flowmap";

/**
 * Bump when server/analysis/flow-contribution.ts counts differently: every install then rebuilds
 * its map at the next start instead of mixing two ways of counting.
 */
export const CONTRIBUTION_VERSION = 1;
export const MAP_OFF = "off";

/** What the map's rows depend on, as a stable string. */
export function flowmapFingerprint(options: FlowmapOptions, terminalEvents: RegExp): string {
  if (!options.enabled) return MAP_OFF;
  const rules = options.flowTypes.map((r) => ("eventType" in r ? { name: r.name, eventType: String(r.eventType) } : { name: r.name, topic: String(r.topic) }));
  return JSON.stringify({ v: CONTRIBUTION_VERSION, flowTypes: rules, terminalEvents: String(terminalEvents), maxEvents: options.maxEvents });
}

export type Reconciled =
  | { action: "unchanged" | "recorded" | "off"; queued: 0 }
  | { action: "rebuilt"; queued: number; reason: "settings changed" | "was off" | "events indexed before the map" };

const TABLES = sql.raw("flowmap_flows, flowmap_steps, flowmap_transitions, flowmap_stops, flowmap_variants, flowmap_members, flowmap_pending");

/**
 * Brings the map in line with `options` (see the file's head). Under the passes' lock, at READ
 * COMMITTED: the re-queue is one statement that sees every event committed before it, and a chunk
 * of the tap's that writes meanwhile waits on the emptied queue's lock, then queues its own events.
 */
export async function reconcileFlowmapSettings(store: Store, options: FlowmapOptions, terminalEvents: RegExp, log: (line: string) => void): Promise<Reconciled> {
  const want = flowmapFingerprint(options, terminalEvents);
  const result = await inTransaction(store, async (tx): Promise<Reconciled> => {
    await tx.rows(sql`SELECT pg_advisory_xact_lock(${FLOWMAP_PASS_LOCK})`);
    const [row] = await tx.rows<{ fingerprint: string }>(sql`SELECT fingerprint FROM flowmap_settings WHERE id = 1`);
    if (row?.fingerprint === want) return { action: "unchanged", queued: 0 };
    const record = sql`
      INSERT INTO flowmap_settings (id, fingerprint, changed_at) VALUES (1, ${want}, now())
      ON CONFLICT (id) DO UPDATE SET fingerprint = excluded.fingerprint, changed_at = excluded.changed_at`;
    if (want === MAP_OFF) {
      await tx.rows(sql`DELETE FROM flowmap_pending`);
      await tx.rows(record);
      return { action: "off", queued: 0 };
    }
    if (!row) {
      const [any] = await tx.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM (SELECT 1 FROM events WHERE correlation_id IS NOT NULL LIMIT 1) e`);
      if (any!.n === 0) {
        await tx.rows(record);
        return { action: "recorded", queued: 0 };
      }
    }
    await tx.rows(sql`TRUNCATE ${TABLES}`);
    // A flow over the cap contributes nothing: one queued event is enough for the pass to see it
    // and skip it (a constant correlation ID can hold millions).
    const [queued] = await tx.rows<{ n: number }>(sql`
      WITH q AS (
        INSERT INTO flowmap_pending (topic, partition, "offset", correlation_id)
        SELECT topic, partition, "offset", correlation_id FROM (
          SELECT topic, partition, "offset", correlation_id,
                 count(*) OVER (PARTITION BY correlation_id) AS n,
                 row_number() OVER (PARTITION BY correlation_id ORDER BY topic, partition, "offset") AS k
          FROM events WHERE correlation_id IS NOT NULL) e
        WHERE n <= ${options.maxEvents} OR k = 1
        RETURNING 1)
      SELECT count(*)::int AS n FROM q`);
    await tx.rows(record);
    const reason = !row ? "events indexed before the map" : row.fingerprint === MAP_OFF ? "was off" : "settings changed";
    return { action: "rebuilt", queued: queued!.n, reason };
  }, "read committed");
  if (result.action === "rebuilt") {
    log(`flow map: ${result.reason}: rebuilding it from the index (${result.queued.toLocaleString("en-US")} events queued)`);
  } else if (result.action === "off") {
    log("flow map: off (FLOWTAP_FLOWMAP=off): the map stops here; it is rebuilt from the index when turned on again");
  }
  return result;
}

export async function readMaintained(store: Store): Promise<MapMaintained> {
  const [row] = await store.rows<{ fingerprint: string; changed_at: string }>(sql`
    SELECT fingerprint, ${isoTs(sql`changed_at`)} AS changed_at FROM flowmap_settings WHERE id = 1`);
  return { on: row?.fingerprint !== MAP_OFF, since: row?.changed_at ?? null };
}
