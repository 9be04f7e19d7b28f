import "server-only";
// The map's reads of the aggregate tables over a window's coverage (never `events`). Each query
// sums rows per key with GROUP BY in the store, so the answer is a few hundred rows whatever the
// window: 24 h of 3 types × 12 steps is ~24 hour rows and ≤ 120 edge-minute rows per key.
// Sums leave SQL as float8: exact to 2^53 and a number in both drivers (bigint sums are numeric,
// which postgres.js hands back as text).
import { sql, type SQL } from "drizzle-orm";
import type { Store } from "../db/client";
import { isoOf, type Coverage } from "./read-window";

const ts = (ms: number) => sql`${isoOf(ms)}::timestamptz`;

/** The WHERE of a coverage: grain-3600 rows of its hours, grain-60 rows of its minutes. */
export function inCoverage(c: Coverage): SQL {
  const parts = [
    ...c.hours.map(([a, b]) => sql`(grain = 3600 AND t >= ${ts(a)} AND t < ${ts(b)})`),
    ...c.minutes.map(([a, b]) => sql`(grain = 60 AND t >= ${ts(a)} AND t < ${ts(b)})`),
  ];
  return parts.length ? sql`(${sql.join(parts, sql` OR `)})` : sql`false`;
}

const ofType = (type: string | undefined) => (type === undefined ? sql`` : sql`AND flow_type = ${type}`);

export interface FlowsRow { flow_type: string; flows: number; completed: number; dlq: number }
export interface StepRow { flow_type: string; service: string; event_type: string; flows: number; dlq: number; duplicates: number; out_of_order: number }
export interface TransitionRow { flow_type: string; from_service: string; from_event_type: string; to_service: string; to_event_type: string; bucket: number; flows: number }
export interface StopRow { flow_type: string; service: string; event_type: string; status: string; flows: number; stuck: number }
export interface VariantRow { flow_type: string; variant: string; steps: string; flows: number }

export function readFlowsRows(store: Store, c: Coverage, type?: string): Promise<FlowsRow[]> {
  return store.rows<FlowsRow>(sql`
    SELECT flow_type, sum(flows)::float8 AS flows, sum(completed)::float8 AS completed, sum(dlq)::float8 AS dlq
    FROM flowmap_flows WHERE ${inCoverage(c)} ${ofType(type)} GROUP BY flow_type`);
}

export function readStepRows(store: Store, c: Coverage, type?: string): Promise<StepRow[]> {
  return store.rows<StepRow>(sql`
    SELECT flow_type, service, event_type, sum(flows)::float8 AS flows, sum(dlq)::float8 AS dlq,
           sum(duplicates)::float8 AS duplicates, sum(out_of_order)::float8 AS out_of_order
    FROM flowmap_steps WHERE ${inCoverage(c)} ${ofType(type)} GROUP BY 1, 2, 3`);
}

export function readTransitionRows(store: Store, c: Coverage, type?: string): Promise<TransitionRow[]> {
  return store.rows<TransitionRow>(sql`
    SELECT flow_type, from_service, from_event_type, to_service, to_event_type, bucket::int AS bucket, sum(flows)::float8 AS flows
    FROM flowmap_transitions WHERE ${inCoverage(c)} ${ofType(type)} GROUP BY 1, 2, 3, 4, 5, 6`);
}

/** `c` must have the stuck cutoff as a break (coverage(w, [stuckBefore])), so every row is wholly before or after it. */
export function readStopRows(store: Store, c: Coverage, stuckBeforeMs: number, type?: string): Promise<StopRow[]> {
  return store.rows<StopRow>(sql`
    SELECT flow_type, service, event_type, status, sum(flows)::float8 AS flows,
           coalesce(sum(flows) FILTER (WHERE status = 'open' AND t < ${ts(stuckBeforeMs)}), 0)::float8 AS stuck
    FROM flowmap_stops WHERE ${inCoverage(c)} ${ofType(type)} GROUP BY 1, 2, 3, 4`);
}

/** The `limit` most common variants of each type; steps as the stored JSON text. */
export function readVariantRows(store: Store, c: Coverage, limit: number, type?: string): Promise<VariantRow[]> {
  return store.rows<VariantRow>(sql`
    SELECT flow_type, variant, steps, flows FROM (
      SELECT flow_type, variant, min(steps::text) AS steps, sum(flows)::float8 AS flows,
             row_number() OVER (PARTITION BY flow_type ORDER BY sum(flows) DESC, variant) AS rank
      FROM flowmap_variants WHERE ${inCoverage(c)} ${ofType(type)} GROUP BY 1, 2
    ) v WHERE rank <= ${limit} AND flows > 0`);
}
