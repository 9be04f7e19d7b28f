import "server-only";
// A flows row as the API shows it (search results and the recent-flows list).
import { sql } from "drizzle-orm";
import { isoTs } from "../db/sql";

export interface FlowSummary {
  correlationId: string;
  events: number;
  firstSeen: string;
  lastSeen: string;
  services: string[];
  hasDlq: boolean;
  completed: boolean;
  stuck: boolean;
  fromTrace: boolean;
}

export type FlowRow = {
  correlation_id: string;
  events: number;
  first_seen: string;
  last_seen: string;
  services: string[];
  has_dlq: boolean;
  completed: boolean;
  from_trace: boolean;
};

export const FLOW_COLUMNS = sql`correlation_id, events, ${isoTs(sql`first_seen`)} AS first_seen,
  ${isoTs(sql`last_seen`)} AS last_seen, services, has_dlq, completed, from_trace`;

/** A flow is stuck when no terminal event arrived and nothing happened for stuckAfterMs. */
export function toFlowSummary(r: FlowRow, now: Date, stuckAfterMs: number): FlowSummary {
  return {
    correlationId: r.correlation_id,
    events: r.events,
    firstSeen: r.first_seen,
    lastSeen: r.last_seen,
    services: r.services,
    hasDlq: r.has_dlq,
    completed: r.completed,
    stuck: !r.completed && now.getTime() - Date.parse(r.last_seen) > stuckAfterMs,
    fromTrace: r.from_trace,
  };
}
