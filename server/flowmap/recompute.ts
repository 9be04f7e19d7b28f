import "server-only";
// The flow map computed from scratch: every flow of `events`, grouped by correlation ID, through
// the same pure contribution the tap uses. What the maintained tables must equal (the equality
// test), and the cost they save (the read benchmark's baseline). Also reads the tables back in the
// same shape, for the comparison.
import { sql } from "drizzle-orm";
import type { Store } from "../db/client";
import { contribution, grainRows, type ContributionConfig, type FlowEvent, type Member } from "../analysis/flow-contribution";
import { addAll, rowId, TABLE_NAMES, TABLES, type AggRow, type RowSet } from "../analysis/flowmap-rows";
import { PHYSICAL } from "./apply-delta";

export interface FlowmapState {
  /** All three grains; rows may have zero counts (compare with nonZero). */
  rows: RowSet;
  members: Map<string, Member>;
}

interface EventRow {
  cid: string; topic: string; partition: number; offset: string; ts: number; event_id: string | null; event_type: string | null;
  event_version: string | null; service: string | null; causation_id: string | null; is_dlq: boolean;
}

const toEvent = (r: EventRow): FlowEvent => ({
  topic: r.topic, partition: r.partition, offset: r.offset, ts: r.ts, eventId: r.event_id, eventType: r.event_type,
  eventVersion: r.event_version, service: r.service, causationId: r.causation_id, isDlq: r.is_dlq,
});

/**
 * Walks events_correlation_idx in pages of `pageRows` rows. A page's last flow may continue on the
 * next page, so it is read again there; a page holding a single flow has more events than the cap
 * (pageRows > maxEvents) and that flow is skipped, as the tap skips it.
 */
export async function recomputeFlowmap(store: Store, config: ContributionConfig, pageRows = 20_000): Promise<FlowmapState> {
  const limit = Math.max(pageRows, config.maxEvents + 1);
  const state: FlowmapState = { rows: new Map(), members: new Map() };
  let after: string | null = null;
  for (;;) {
    const rows: EventRow[] = await store.rows<EventRow>(sql`
      SELECT correlation_id AS cid, topic, partition, "offset"::text AS "offset", (extract(epoch FROM ts) * 1000)::float8 AS ts,
             event_id, event_type, event_version, service, causation_id, is_dlq
      FROM events
      WHERE correlation_id IS NOT NULL AND (${after}::text IS NULL OR correlation_id > ${after}::text)
      ORDER BY correlation_id LIMIT ${limit}`);
    if (rows.length === 0) return state;
    const groups = new Map<string, FlowEvent[]>();
    for (const r of rows) {
      const list = groups.get(r.cid);
      if (list) list.push(toEvent(r));
      else groups.set(r.cid, [toEvent(r)]);
    }
    const full = rows.length === limit;
    const lastCid = rows.at(-1)!.cid;
    for (const [cid, events] of groups) {
      if (full && cid === lastCid) continue; // incomplete here, or over the cap when alone
      const c = contribution(events, config);
      if (!c) continue;
      addAll(state.rows, grainRows(c));
      state.members.set(cid, c.member);
    }
    if (!full) return state;
    after = groups.size === 1 ? lastCid : [...groups.keys()].at(-2)!;
  }
}

/** The aggregate tables and flowmap_members as they are. */
export async function readFlowmapTables(store: Store): Promise<FlowmapState> {
  const state: FlowmapState = { rows: new Map(), members: new Map() };
  for (const table of TABLE_NAMES) {
    const spec = TABLES[table];
    const cols = [...spec.keys.map((k) => (k === "bucket" ? "bucket::int AS bucket" : k)), ...spec.counts.map((c) => `${c}::float8 AS ${c}`)];
    if (table === "variants") cols.push("steps::text AS steps");
    const rows = await store.rows<Record<string, string | number>>(sql.raw(`
      SELECT grain, (extract(epoch FROM t) * 1000)::float8 AS t, ${cols.join(", ")} FROM ${PHYSICAL[table]}`));
    addAll(state.rows, rows.map((r): AggRow => {
      const key = spec.keys.map((k) => r[k]!);
      const steps = table === "variants" ? String(r.steps) : undefined;
      return { id: rowId(table, Number(r.grain), Number(r.t), key), table, grain: Number(r.grain), t: Number(r.t), key, counts: spec.counts.map((c) => Number(r[c])), steps };
    }));
  }
  const members = await store.rows<{ cid: string; flow_type: string; first: number; last: number; service: string; event_type: string; status: Member["status"]; variant: string; path: string[] }>(sql`
    SELECT correlation_id AS cid, flow_type, (extract(epoch FROM first_seen) * 1000)::float8 AS first, (extract(epoch FROM last_seen) * 1000)::float8 AS last,
           last_service AS service, last_event_type AS event_type, status, variant, path FROM flowmap_members`);
  for (const m of members) {
    state.members.set(m.cid, { flowType: m.flow_type, firstSeen: m.first, lastSeen: m.last, lastService: m.service, lastEventType: m.event_type, status: m.status, variant: m.variant, path: m.path });
  }
  return state;
}
