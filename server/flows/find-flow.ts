import "server-only";
import { sql } from "drizzle-orm";
import type { Store } from "../db/client";
import { EVENT_COLUMNS, toEventJson, type EventJson, type EventRow } from "./event-json";

/** More than this many events in one flow is a runaway key, not a business transaction. */
export const MAX_FLOW_EVENTS = 10_000;

export interface Flow {
  correlationId: string;
  events: EventJson[];
  /** True when the flow has more events than MAX_FLOW_EVENTS; the first ones are returned. */
  truncated: boolean;
}

/** Every indexed event of one correlation ID in time order, or null when none is indexed. */
export async function findFlow(store: Store, correlationId: string): Promise<Flow | null> {
  const rows = await store.rows<EventRow>(sql`
    SELECT ${EVENT_COLUMNS} FROM events
    WHERE correlation_id = ${correlationId}
    -- Qualified: unqualified, ORDER BY would pick the text aliases of the select list ("10" < "9").
    ORDER BY events.ts, events.topic, events.partition, events."offset"
    LIMIT ${MAX_FLOW_EVENTS + 1}
  `);
  if (rows.length === 0) return null;
  return {
    correlationId,
    events: rows.slice(0, MAX_FLOW_EVENTS).map(toEventJson),
    truncated: rows.length > MAX_FLOW_EVENTS,
  };
}
