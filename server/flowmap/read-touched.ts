import "server-only";
// The events of some flows, with which of them are still pending (queued in flowmap_pending, not
// yet folded into the map), for the flow map's before/after. Runs inside the pass's REPEATABLE READ
// transaction (server/flowmap/pass.ts), or inside a displacement's transaction (write-flowmap.ts).
import { sql } from "drizzle-orm";
import type { Store } from "../db/client";
import type { FlowEvent, Member } from "../analysis/flow-contribution";

export interface TouchedFlow {
  correlationId: string;
  /** flows.events: when fewer rows are found, retention took some and the flow is left as it is. */
  total: number;
  /** The flow's flowmap_members row: its contribution is in the aggregates, as of `member`. */
  member: Member | null;
  /** `pending`: queued in flowmap_pending, i.e. not in the recorded contribution yet. */
  events: Array<FlowEvent & { pending: boolean }>;
}

interface Row {
  cid: string; total: number; m_type: string | null; m_first: number; m_last: number; m_service: string; m_event_type: string;
  m_status: Member["status"]; m_variant: string;
  /** [topic, partition, offset, ts, event_id, event_type, event_version, service, causation_id, is_dlq, pending] per event. */
  list: Array<[string, number, string, number, string | null, string | null, string | null, string | null, string | null, boolean, boolean]>;
}

/**
 * `pendingCounts`: correlation ID → its rows in flowmap_pending. A flow whose flows.events minus
 * that is over `maxEvents` had more than the cap before and has more after: it contributes nothing
 * either way, so its (possibly millions of) events are not read.
 * "read": the pass; its snapshot is the whole consistency argument (no row lock).
 * "lock": flows about to lose rows to a displacement, locked here in correlation-ID order (the
 * order the events statement upserts them in), so no event of theirs commits meanwhile.
 */
export async function readTouchedFlows(tx: Store, pendingCounts: Map<string, number>, maxEvents: number, which: "read" | "lock" = "read"): Promise<TouchedFlow[]> {
  const ids = JSON.stringify([...pendingCounts].map(([cid, n]) => ({ cid, n })));
  const filter = which === "read" ? sql`` : sql`ORDER BY f.correlation_id FOR UPDATE OF f`;
  const rows = await tx.rows<Row>(sql`
    WITH c AS (SELECT * FROM json_to_recordset(${ids}::json) AS c(cid text, n int)),
    f AS MATERIALIZED (
      SELECT f.correlation_id AS cid, f.events::float8 AS total
      FROM c JOIN flows f ON f.correlation_id = c.cid
      WHERE f.events - c.n <= ${maxEvents} ${filter}
    )
    SELECT f.cid, f.total, m.flow_type AS m_type, (extract(epoch FROM m.first_seen) * 1000)::float8 AS m_first,
           (extract(epoch FROM m.last_seen) * 1000)::float8 AS m_last, m.last_service AS m_service,
           m.last_event_type AS m_event_type, m.status AS m_status, m.variant AS m_variant, ev.list
    FROM f
    LEFT JOIN flowmap_members m ON m.correlation_id = f.cid
    -- LATERAL: one events_correlation_idx scan per flow, whatever the planner thinks of the JSON's
    -- row count (it chose a hash join over all of events). One JSON array per flow: the drivers
    -- parse one value natively instead of ~6 rows of 11 columns each.
    CROSS JOIN LATERAL (
      SELECT json_agg(json_build_array(e.topic, e.partition, e."offset"::text, (extract(epoch FROM e.ts) * 1000)::float8,
               e.event_id, e.event_type, e.event_version, e.service, e.causation_id, e.is_dlq,
               EXISTS (SELECT 1 FROM flowmap_pending p WHERE p.topic = e.topic AND p.partition = e.partition AND p."offset" = e."offset"
                       AND p.correlation_id = e.correlation_id))) AS list
      FROM events e WHERE e.correlation_id = f.cid AND e.correlation_id IS NOT NULL
    ) ev
    WHERE ev.list IS NOT NULL`);
  return rows.map((r) => ({
    correlationId: r.cid,
    total: r.total,
    member: r.m_type === null ? null : {
      flowType: r.m_type, firstSeen: r.m_first, lastSeen: r.m_last, lastService: r.m_service, lastEventType: r.m_event_type,
      status: r.m_status, variant: r.m_variant, path: [],
    },
    events: r.list.map(([topic, partition, offset, ts, eventId, eventType, eventVersion, service, causationId, isDlq, pending]) => ({
      topic, partition, offset, ts, eventId, eventType, eventVersion, service, causationId, isDlq, pending,
    })),
  }));
}
