import "server-only";
// GET /api/flows/{id}/against-type: the flow's flowmap_members row, its type's most common variant
// and transition p95s over 24 h from the aggregates, and the flow's own event times (one indexed
// read of ≤ MAX_EVENTS rows by correlation ID). The comparison is pure (server/analysis/against-type.ts).
import { sql } from "drizzle-orm";
import type { AgainstTypeAnswer } from "../contract/against-type";
import { DAY_MS, HOUR_MS } from "../contract/flowmap";
import { compareWithType } from "../analysis/against-type";
import { flowTransitions, type FlowEvent } from "../analysis/flow-contribution";
import type { Store } from "../db/client";
import { isoTs } from "../db/sql";
import { histogramsOf, latencyOf, variantSteps } from "./read-assemble";
import { readFlowsRows, readTransitionRows, readVariantRows } from "./read-rows";
import { coverage, isoOf, type Window } from "./read-window";

/** A flow of more events is a runaway key: its first 2,000 say how it went. */
const MAX_EVENTS = 2000;

type Member = { flow_type: string; status: "open" | "completed" | "dlq"; last_seen: string; path: string[]; stuck: boolean };
type EventRow = {
  topic: string; partition: number; offset: string; ts: number; service: string | null; event_type: string | null;
  event_id: string | null; causation_id: string | null; is_dlq: boolean;
};

/** 24 h up to the flow's last event, rounded up to the hour (whole hour rows), or up to now. */
export function comparisonWindow(lastSeenMs: number, nowMs: number): Window {
  const untilMs = Math.min(nowMs, Math.ceil(lastSeenMs / HOUR_MS) * HOUR_MS);
  return { sinceMs: untilMs - DAY_MS, untilMs };
}

export async function readAgainstType(store: Store, input: { correlationId: string; now: Date; stuckAfterMs: number }): Promise<AgainstTypeAnswer> {
  const stuckBefore = isoOf(input.now.getTime() - input.stuckAfterMs);
  const [member] = await store.rows<Member>(sql`
    SELECT flow_type, status, ${isoTs(sql`last_seen`)} AS last_seen, path, (status = 'open' AND last_seen < ${stuckBefore}::timestamptz) AS stuck
    FROM flowmap_members WHERE correlation_id = ${input.correlationId}`);
  if (!member) {
    return { correlationId: input.correlationId, flowType: null, status: null, stuck: false, window: null, commonPath: null, findings: [], summary: "This flow is not in the flow map (yet): it has nothing to be compared with." };
  }
  const w = comparisonWindow(Date.parse(member.last_seen), input.now.getTime());
  const c = coverage(w);
  const [flows, variants, transitions, events] = await Promise.all([
    readFlowsRows(store, c, member.flow_type),
    readVariantRows(store, c, 1, member.flow_type),
    readTransitionRows(store, c, member.flow_type),
    store.rows<EventRow>(sql`
      SELECT topic, partition, "offset"::text AS "offset", (extract(epoch FROM ts) * 1000)::float8 AS ts, service, event_type, event_id, causation_id, is_dlq
      FROM events WHERE correlation_id = ${input.correlationId} ORDER BY ts LIMIT ${MAX_EVENTS}`),
  ]);
  const top = variants[0];
  const total = flows[0]?.flows ?? 0;
  const commonPath = top ? { steps: variantSteps(top.steps), flows: top.flows, share: total > 0 ? top.flows / total : 0 } : null;
  const latency = new Map([...histogramsOf(transitions)].map(([k, h]) => [k, latencyOf(h)]));
  const flowEvents: FlowEvent[] = events.map((e) => ({
    topic: e.topic, partition: e.partition, offset: e.offset, ts: e.ts, eventId: e.event_id, eventType: e.event_type,
    eventVersion: null, service: e.service, causationId: e.causation_id, isDlq: e.is_dlq,
  }));
  const { findings, summary } = compareWithType({
    type: member.flow_type, path: member.path, status: member.status, stuck: member.stuck, common: commonPath,
    transitions: flowTransitions(flowEvents), latency,
  });
  return {
    correlationId: input.correlationId, flowType: member.flow_type, status: member.status, stuck: member.stuck,
    window: { since: isoOf(w.sinceMs), until: isoOf(w.untilMs) }, commonPath, findings, summary,
  };
}
