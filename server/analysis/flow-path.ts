// A flow's own transitions with their times (pure): the flow page compares them with its type's
// p95s, so they are linked as the map's writer links them (server/analysis/flow-contribution.ts):
// in event time, from the event's cause when it names one in the flow, else from the previous
// step; dead-letter records are copies of a failed event, not steps; a second delivery of an
// event ID is not a new step; a step following itself is no transition; names capped as stored.
import { capName } from "./flow-types";
import { stepKey, stepOf } from "./steps";

export interface PathEvent {
  timestamp: string;
  service: string | null;
  eventType: string | null;
  eventId: string | null;
  causationId: string | null;
  dlq: boolean;
}

export interface FlowTransition {
  from: string;
  to: string;
  ms: number;
}

export function flowTransitions(input: readonly PathEvent[]): FlowTransition[] {
  const events = input
    .map((e, i) => ({ e, i, t: Date.parse(e.timestamp) }))
    .filter((x) => !x.e.dlq && !Number.isNaN(x.t))
    .sort((a, b) => a.t - b.t || a.i - b.i);
  const byId = new Map<string, { key: string; t: number }>();
  const out: FlowTransition[] = [];
  let prev: { key: string; t: number } | null = null;
  for (const { e, t } of events) {
    if (e.eventId !== null && byId.has(e.eventId)) continue;
    const step = stepOf(e.service, e.eventType);
    const here = { key: stepKey({ service: capName(step.service), eventType: capName(step.eventType) }), t };
    const cause = e.causationId === null ? undefined : byId.get(e.causationId);
    const from = cause ?? prev;
    if (from && from.key !== here.key) out.push({ from: from.key, to: here.key, ms: t - from.t });
    if (e.eventId !== null) byId.set(e.eventId, here);
    prev = here;
  }
  return out;
}
