// What one flow adds to the flow map: a pure function of the flow's whole event set, so the tap
// keeps the aggregates right by adding (contribution after a chunk) − (before), whatever order
// the events arrive in, and a recomputation from `events` gives the same rows.
//
// Duplicates and out-of-order versions follow the flow page's definitions
// (server/analysis/flow-analysis.ts, formerly components/flow/analyze-flow.ts): a duplicate is a
// second delivery of an event ID; out of order is a lower version of an event family arriving after
// a higher one; dead letters are judged by neither. eventFamily and compareVersions come from there.
import { compareVersions, eventFamily } from "./flow-analysis";
import { capName, flowTypeOf, type FlowTypeRule } from "./flow-types";
import { addAll, atGrains, MINUTE_MS, nonZero, variantHash, type AggRow, type RowSet } from "./flowmap-rows";
import { bucketOf } from "./sketch";
import { stepKey, stepOf, type Step } from "./steps";

/** The columns of an `events` row the map reads. */
export interface FlowEvent {
  topic: string;
  partition: number;
  /** Decimal, as stored (64-bit). */
  offset: string;
  /** Epoch milliseconds. */
  ts: number;
  eventId: string | null;
  eventType: string | null;
  eventVersion: string | null;
  service: string | null;
  causationId: string | null;
  isDlq: boolean;
}

export interface ContributionConfig {
  flowTypes: readonly FlowTypeRule[];
  /** FLOWTAP_TERMINAL_EVENTS: as flows.completed, any event of a matching type completes the flow. */
  terminalEvents: RegExp;
  /** A flow with more events contributes nothing (FLOWMAP_MAX_EVENTS). */
  maxEvents: number;
}

export type FlowStatus = "open" | "completed" | "dlq";

/** flowmap_members' row, without the correlation ID. */
export interface Member {
  flowType: string;
  firstSeen: number;
  lastSeen: number;
  lastService: string;
  lastEventType: string;
  status: FlowStatus;
  variant: string;
  path: string[];
}

export interface FlowContribution {
  member: Member;
  /** At minute grain, each id once; expandGrains spreads them over 60, 3600 and 0. */
  rows: AggRow[];
}

/** Step keys kept in flowmap_members.path: a longer path is a runaway flow, not a saga. */
export const MEMBER_PATH_MAX = 100;

/** Kafka position order: offsets are decimals without leading zeros, so length first. */
export function byPosition(a: FlowEvent, b: FlowEvent): number {
  return a.ts - b.ts || (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : 0) || a.partition - b.partition ||
    a.offset.length - b.offset.length || (a.offset < b.offset ? -1 : a.offset > b.offset ? 1 : 0);
}

/** U+001F separates a step key's halves, U+001E the keys of a path (flowmap_members.path is stored joined by it). */
const SEPARATORS = /[\u001e\u001f]/g;
const noSep = (s: string) => (s.includes("\u001f") || s.includes("\u001e") ? s.replace(SEPARATORS, "") : s);

/**
 * The step of an event as the aggregates key it: names capped (NAME_MAX), and without the two
 * separators, so a stored name is exactly its half of the key.
 */
export function mapStepOf(e: Pick<FlowEvent, "service" | "eventType">): Step {
  const s = stepOf(e.service, e.eventType);
  return { service: capName(noSep(s.service)), eventType: capName(noSep(s.eventType)) };
}

interface StepStat { step: Step; key: string; firstTs: number; events: number; dlq: number; duplicates: number; outOfOrder: number }
interface PathEvent { e: FlowEvent; stat: StepStat }

const minute = (ms: number) => Math.floor(ms / MINUTE_MS) * MINUTE_MS;

// Minute rows get ids from parts already at hand (a step key holds service and event type), which
// is most of what the tap spends per record; NUL separates parts, U+001F never ends a name.
const row = (id: string, table: AggRow["table"], t: number, key: AggRow["key"], counts: number[], steps?: string): AggRow =>
  ({ id: `${table}\u0000${t}\u0000${id}`, table, grain: 60, t, key, counts, steps });

/** The flow's path (dead letters left out, repeated event IDs once) with per-step counts. */
function walk(sorted: readonly FlowEvent[]) {
  const path: PathEvent[] = [];
  const stats = new Map<string, StepStat>();
  const firstDelivery = new Map<string, number>();
  const highest = new Map<string, string>();
  for (const e of sorted) {
    if (e.isDlq) continue;
    const seen = e.eventId === null ? undefined : firstDelivery.get(e.eventId);
    let home: StepStat;
    if (seen !== undefined) {
      home = path[seen]!.stat;
      home.duplicates++;
    } else {
      const step = mapStepOf(e);
      const key = `${step.service}\u001f${step.eventType}`; // = stepKey(step): no U+001F left in the names
      home = stats.get(key) ?? { step, key, firstTs: e.ts, events: 0, dlq: 0, duplicates: 0, outOfOrder: 0 };
      stats.set(key, home);
      home.events++;
      if (e.eventId !== null) firstDelivery.set(e.eventId, path.length);
      path.push({ e, stat: home });
    }
    if (e.eventType !== null && e.eventVersion !== null) {
      const family = eventFamily(e.eventType);
      const top = highest.get(family);
      if (top !== undefined && compareVersions(e.eventVersion, top) < 0) home.outOfOrder++;
      else if (top === undefined || compareVersions(e.eventVersion, top) > 0) highest.set(family, e.eventVersion);
    }
  }
  return { path, stats, firstDelivery };
}

/** The step a dead letter marks: same step, else same event type (latest), else the last step. */
function dlqStep(d: FlowEvent, path: readonly PathEvent[]): StepStat | undefined {
  const key = stepKey(mapStepOf(d));
  const type = mapStepOf(d).eventType;
  for (let i = path.length - 1; i >= 0; i--) if (path[i]!.stat.key === key) return path[i]!.stat;
  for (let i = path.length - 1; i >= 0; i--) if (path[i]!.stat.step.eventType === type) return path[i]!.stat;
  return path.at(-1)?.stat;
}

/**
 * The flow's transitions: from the cause when the event names an earlier one of the flow, else
 * from the previous path event; only where the step changes, and once per flow per (from, to), at
 * its first occurrence (so a transition's count is flows, as a step's is).
 */
function links(path: readonly PathEvent[], firstDelivery: ReadonlyMap<string, number>): Array<{ from: PathEvent; to: PathEvent }> {
  const out: Array<{ from: PathEvent; to: PathEvent }> = [];
  const linked = new Set<string>();
  path.forEach((cur, i) => {
    const cause = cur.e.causationId === null ? undefined : firstDelivery.get(cur.e.causationId);
    const from = cause !== undefined && cause < i ? path[cause]! : i > 0 ? path[i - 1]! : undefined;
    if (!from || from.stat === cur.stat) return;
    const pair = `${from.stat.key}\u0000${cur.stat.key}`;
    if (linked.has(pair)) return;
    linked.add(pair);
    out.push({ from, to: cur });
  });
  return out;
}

export interface FlowTransition {
  /** Step keys (stepKey), as the map's transition rows name them. */
  from: string;
  to: string;
  ms: number;
}

/**
 * One flow's transitions with their times, linked exactly as the writer links them for the map:
 * the flow page compares them with its type's p95s (server/analysis/against-type.ts).
 */
export function flowTransitions(events: readonly FlowEvent[]): FlowTransition[] {
  const { path, firstDelivery } = walk([...events].sort(byPosition));
  return links(path, firstDelivery).map(({ from, to }) => ({ from: from.stat.key, to: to.stat.key, ms: to.e.ts - from.e.ts }));
}

/** The rows one flow adds to the map, and its flowmap_members row; null when it adds nothing. */
export function contribution(events: readonly FlowEvent[], config: ContributionConfig): FlowContribution | null {
  if (events.length === 0 || events.length > config.maxEvents) return null;
  const sorted = [...events].sort(byPosition);
  const first = sorted[0]!;
  const last = sorted.at(-1)!;
  const { path, stats, firstDelivery } = walk(sorted);
  const flowType = flowTypeOf(path[0]?.e ?? first, config.flowTypes);

  const hasDlq = sorted.some((e) => e.isDlq);
  for (const d of sorted) {
    const s = d.isDlq ? dlqStep(d, path) : undefined;
    if (s) s.dlq = 1; // flows whose dead letter carries the step: once per flow
  }
  const completed = sorted.some((e) => e.eventType !== null && config.terminalEvents.test(e.eventType));
  const status: FlowStatus = hasDlq ? "dlq" : completed ? "completed" : "open";

  const rows: AggRow[] = [];
  const t0 = minute(first.ts);
  rows.push(row(flowType, "flows", t0, [flowType], [1, completed ? 1 : 0, hasDlq ? 1 : 0]));
  for (const s of stats.values()) {
    const t = minute(s.firstTs);
    rows.push(row(`${flowType}\u0000${s.key}`, "steps", t, [flowType, s.step.service, s.step.eventType], [1, s.events, s.dlq, s.duplicates, s.outOfOrder]));
  }
  for (const { from, to } of links(path, firstDelivery)) {
    const bucket = bucketOf(to.e.ts - from.e.ts);
    const key = [flowType, from.stat.step.service, from.stat.step.eventType, to.stat.step.service, to.stat.step.eventType, bucket];
    rows.push(row(`${flowType}\u0000${from.stat.key}\u0000${to.stat.key}\u0000${bucket}`, "transitions", minute(to.e.ts), key, [1]));
  }
  const lastStep = path.at(-1)?.stat.step ?? { service: "", eventType: "" };
  const lastKey = path.at(-1)?.stat.key ?? stepKey(lastStep);
  rows.push(row(`${flowType}\u0000${lastKey}\u0000${status}`, "stops", minute(last.ts), [flowType, lastStep.service, lastStep.eventType, status], [1]));
  // A variant is the sequence of steps with repeats in a row collapsed (3 items reserved = 1 step).
  const seq = path.map((p) => p.stat).filter((s, i, all) => i === 0 || all[i - 1] !== s);
  const variant = variantHash(seq.map((s) => s.key));
  const steps = JSON.stringify(seq.map((s) => [s.step.service, s.step.eventType]));
  rows.push(row(`${flowType}\u0000${variant}`, "variants", t0, [flowType, variant], [1], steps));

  const member: Member = {
    flowType, firstSeen: first.ts, lastSeen: last.ts, lastService: lastStep.service,
    lastEventType: lastStep.eventType, status, variant, path: seq.slice(0, MEMBER_PATH_MAX).map((s) => s.key),
  };
  return { member, rows };
}

/** The contribution's rows at all three grains (what recomputation sums). */
export function grainRows(c: FlowContribution): AggRow[] {
  const out: RowSet = new Map();
  for (const r of c.rows) addAll(out, atGrains(r));
  return nonZero(out);
}
