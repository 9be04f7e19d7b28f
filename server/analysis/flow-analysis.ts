// Pure analysis of a flow's events, shared by the server (the flow map) and the browser (the
// timeline and the table): time order, lanes, gaps, vertical placement, causation links and the
// anomalies an on-call engineer has to notice (dead letters, duplicate deliveries, versions going
// backwards). No clock, no I/O: `now` comes in as an argument where it matters.
// EventJson stays a type-only import (erased): the wire type lives with the events query until it
// moves to server/contract/.
import type { EventJson } from "../flows/event-json";

export type LaneMode = "service" | "topic";

export interface AnalyzedEvent {
  event: EventJson;
  /** "topic/partition/offset": unique in the index, used in URLs and test ids. */
  key: string;
  index: number;
  lane: number;
  /** Milliseconds since the previous event; null for the first. */
  gapMs: number | null;
  /** Top of the row in the timeline, in pixels. */
  y: number;
  /** Set on the second and later deliveries of one event ID. */
  duplicate: { firstKey: string; delivery: number } | null;
  /** Set when a lower version of the event type arrives after a higher one. */
  outOfOrder: { version: string; afterVersion: string; afterKey: string } | null;
}

export interface CausationEdge {
  from: number;
  to: number;
}

export interface FlowAnalysis {
  rows: AnalyzedEvent[];
  lanes: string[];
  edges: CausationEdge[];
  /** Height of the whole timeline, in pixels. */
  height: number;
  counts: { dlq: number; duplicate: number; outOfOrder: number };
}

export const ROW_HEIGHT = 30;
const MAX_GAP_SPACE = 60;
export const NO_SERVICE = "(no service)";

export function eventKey(e: Pick<EventJson, "topic" | "partition" | "offset">): string {
  return `${e.topic}/${e.partition}/${e.offset}`;
}

export function laneOf(e: EventJson, mode: LaneMode): string {
  return mode === "topic" ? e.topic : (e.service ?? NO_SERVICE);
}

/**
 * Extra space above a row for the time since the previous one. Logarithmic, so a burst of
 * events stays readable next to an hour-long pause, and capped so a pause never eats the screen.
 */
export function gapSpace(gapMs: number | null): number {
  if (gapMs === null || gapMs <= 0) return 0;
  return Math.min(MAX_GAP_SPACE, Math.round(12 * Math.log10(1 + gapMs / 100)));
}

/** What to call an event when its type is unknown, so the row still says what it is. */
export function eventLabel(e: Pick<EventJson, "eventType" | "tombstone" | "valueKind">): string {
  if (e.eventType !== null) return e.eventType;
  if (e.tombstone) return "(tombstone)";
  return e.valueKind === "binary" ? "(binary record)" : "(no event type)";
}

/** "OrderUpdated.v2" and "OrderUpdated" are one family: versions are compared across them. */
export function eventFamily(eventType: string): string {
  return eventType.replace(/[._-]?v\d+$/i, "");
}

const NUMERIC = /^\s*-?\d+(\.\d+)?\s*$/;

/** Numeric when both versions are numbers ("10" > "9"); otherwise natural order ("1.10.0" > "1.9.0"). */
export function compareVersions(a: string, b: string): number {
  if (NUMERIC.test(a) && NUMERIC.test(b)) return Math.sign(Number(a) - Number(b));
  return a.localeCompare(b, "en", { numeric: true });
}

function byTime(events: readonly EventJson[]): EventJson[] {
  // The API already sends time order; sort anyway (stable) so merged or hand-built lists hold.
  const withTime = events.map((event, i) => ({ event, i, t: Date.parse(event.timestamp) }));
  withTime.sort((a, b) => (a.t - b.t) || (a.i - b.i));
  return withTime.map((x) => x.event);
}

export function analyzeFlow(input: readonly EventJson[], mode: LaneMode): FlowAnalysis {
  const events = byTime(input);
  const laneIndex = new Map<string, number>();
  const firstDelivery = new Map<string, { key: string; count: number }>();
  const highestVersion = new Map<string, { version: string; key: string }>();
  const byEventId = new Map<string, number>();
  const rows: AnalyzedEvent[] = [];
  const counts = { dlq: 0, duplicate: 0, outOfOrder: 0 };
  let y = 0;
  let prevTime: number | null = null;

  events.forEach((event, index) => {
    const key = eventKey(event);
    const laneName = laneOf(event, mode);
    if (!laneIndex.has(laneName)) laneIndex.set(laneName, laneIndex.size);
    const t = Date.parse(event.timestamp);
    const gapMs = prevTime === null || Number.isNaN(t) ? null : t - prevTime;
    if (!Number.isNaN(t)) prevTime = t;
    y += index === 0 ? 0 : ROW_HEIGHT + gapSpace(gapMs);

    let duplicate: AnalyzedEvent["duplicate"] = null;
    let outOfOrder: AnalyzedEvent["outOfOrder"] = null;
    if (event.dlq) counts.dlq++;
    // A dead-letter record is a copy of the failed one, not a second delivery: judge only originals.
    if (!event.dlq && event.eventId !== null) {
      const first = firstDelivery.get(event.eventId);
      if (first) {
        first.count++;
        duplicate = { firstKey: first.key, delivery: first.count };
        counts.duplicate++;
      } else firstDelivery.set(event.eventId, { key, count: 1 });
    }
    if (!event.dlq && event.eventType !== null && event.eventVersion !== null) {
      const family = eventFamily(event.eventType);
      const top = highestVersion.get(family);
      if (top && compareVersions(event.eventVersion, top.version) < 0) {
        outOfOrder = { version: event.eventVersion, afterVersion: top.version, afterKey: top.key };
        counts.outOfOrder++;
      } else if (!top || compareVersions(event.eventVersion, top.version) > 0) {
        highestVersion.set(family, { version: event.eventVersion, key });
      }
    }
    if (event.eventId !== null && !byEventId.has(event.eventId)) byEventId.set(event.eventId, index);
    rows.push({ event, key, index, lane: laneIndex.get(laneName)!, gapMs, y, duplicate, outOfOrder });
  });

  const edges: CausationEdge[] = [];
  rows.forEach((row) => {
    const cause = row.event.causationId === null ? undefined : byEventId.get(row.event.causationId);
    if (cause !== undefined && cause !== row.index) edges.push({ from: cause, to: row.index });
  });

  return { rows, lanes: [...laneIndex.keys()], edges, height: rows.length ? y + ROW_HEIGHT : 0, counts };
}

export interface Mark {
  kind: "dlq" | "dup" | "ooo";
  text: string;
}

/** What the marks on an event mean, in words, for its tooltip and its detail panel. */
export function explainMarks(row: AnalyzedEvent): Mark[] {
  const out: Mark[] = [];
  const dlq = row.event.dlq;
  if (dlq) {
    const origin = dlq.sourceTopic === null ? "an unknown topic" : `${dlq.sourceTopic}/${dlq.sourcePartition ?? "?"}/${dlq.sourceOffset ?? "?"}`;
    const why = [dlq.errorClass, dlq.errorMessage].filter((s) => s !== null).join(": ");
    out.push({ kind: "dlq", text: `Dead letter: failed from ${origin}${dlq.failedGroup ? ` in group ${dlq.failedGroup}` : ""}${why ? ` — ${why}` : ""}` });
  }
  if (row.duplicate) {
    out.push({ kind: "dup", text: `Duplicate: delivery ${row.duplicate.delivery} of event ID ${row.event.eventId ?? ""}, first seen at ${row.duplicate.firstKey}` });
  }
  if (row.outOfOrder) {
    out.push({ kind: "ooo", text: `Out of order: version ${row.outOfOrder.version} arrived after version ${row.outOfOrder.afterVersion} (${row.outOfOrder.afterKey})` });
  }
  return out;
}

/** A flow is live while it may still grow: recent activity or no terminal event yet. */
export function isLive(lastSeen: string | null, completed: boolean | null, now: number, recentMs = 5 * 60_000): boolean {
  if (completed === false) return true;
  if (lastSeen === null) return false;
  return now - Date.parse(lastSeen) < recentMs;
}
