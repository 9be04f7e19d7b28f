// One sampler tick, as pure computation: what the sampler fetched, plus the memory it keeps
// between ticks (end-offset histories, status windows, last group shapes), in; rows to store
// and the updated memory out. No I/O, no clock: `now` is given.
import { firstUnreadKey, nextOffset } from "./first-unread-plan";
import { groupStatus, partitionStatus, type LagStatus, type WindowSample } from "./status";
import { appendSample, offsetLag, secondsSince, timeLagSeconds, type EndSample } from "./time-lag";
import { MARKER_REASON, markerAtEnd } from "./tx-marker";

export const WINDOW = 10;
export const HISTORY_MAX = 1000;

export interface FetchedGroup {
  groupId: string;
  state: string;
  /** null: membership could not be read this tick (describeGroups failed): unknown, not "none". */
  members: Array<{ memberId: string; clientId: string; host: string; assignment: Record<string, number[]> }> | null;
  /** null: the group's offsets could not be fetched this tick (its error). */
  committed: Array<{ topic: string; partition: number; offset: string | null }> | null;
  error: string | null;
}

export interface TickInput {
  now: number;
  groups: FetchedGroup[];
  /** topic → partition → { high, low }; a topic missing here could not be read (deleted, error). */
  ends: Map<string, Map<number, { high: bigint; low: bigint }>>;
  /**
   * firstUnreadKey(topic, partition, next offset) → timestamp (ms) of the first unread record, as
   * indexed (first-unread.ts); missing entries fall back to interpolation.
   */
  firstUnread?: ReadonlyMap<string, number>;
}

/**
 * Where a partition's seconds behind came from: "record", now − the first unread record's indexed
 * timestamp (exact, also for a group that does not move); "interpolated", from the end-offset
 * history (the record is not indexed); "caught-up", nothing to read (or only a transaction marker).
 */
export type TimeLagSource = "record" | "interpolated" | "caught-up";

export interface SamplerMemory {
  histories: Map<string, readonly EndSample[]>;
  windows: Map<string, WindowSample[]>;
  shapes: Map<string, { members: string; status: LagStatus }>;
}

export interface PartitionRow {
  groupId: string;
  topic: string;
  partition: number;
  committed: string | null;
  end: string;
  lag: number | null;
  timeLagSeconds: number | null;
  /** null when seconds behind is unknown; absent on rows stored before it was recorded. */
  timeLagSource?: TimeLagSource | null;
  status: LagStatus;
  reason: string;
}

export interface GroupRow {
  groupId: string;
  state: string;
  /** null: membership unknown this tick. */
  members: number | null;
  assignments: Record<string, { clientId: string; host: string; assignment: Record<string, number[]> }>;
  status: LagStatus;
  reason: string;
}

export interface TickOutput {
  offsetRows: Array<{ topic: string; partition: number; end: string; start: string }>;
  partitionRows: PartitionRow[];
  groupRows: GroupRow[];
  events: Array<{ groupId: string; kind: "rebalance" | "status"; detail: string }>;
}

export function emptyMemory(): SamplerMemory {
  return { histories: new Map(), windows: new Map(), shapes: new Map() };
}

const tp = (topic: string, partition: number) => `${topic}\u0000${partition}`;

export function computeTick(input: TickInput, memory: SamplerMemory, intervalMs: number): TickOutput {
  const out: TickOutput = { offsetRows: [], partitionRows: [], groupRows: [], events: [] };
  for (const [topic, parts] of input.ends) {
    for (const [partition, e] of parts) {
      const key = tp(topic, partition);
      memory.histories.set(key, appendSample(memory.histories.get(key) ?? [], { t: input.now, end: e.high }, HISTORY_MAX));
      out.offsetRows.push({ topic, partition, end: e.high.toString(), start: e.low.toString() });
    }
  }
  for (const g of input.groups) {
    try {
      computeGroup(g, input, memory, intervalMs, out);
    } catch (err) {
      // One group's bad data costs that group's figures for this tick, not everyone's.
      const message = err instanceof Error ? err.message : String(err);
      out.groupRows.push({ groupId: g.groupId, state: g.state, members: g.members?.length ?? null, assignments: {}, status: "ERR", reason: `not computed: ${message}` });
    }
  }
  forget(memory, input);
  return out;
}

function computeGroup(g: FetchedGroup, input: TickInput, memory: SamplerMemory, intervalMs: number, out: TickOutput): void {
  const hasMembers = g.members === null ? undefined : g.members.length > 0;
  const statuses: LagStatus[] = [];
  const reasons: string[] = [];
  const rows: PartitionRow[] = [];
  const windows: Array<[string, WindowSample[]]> = [];
  for (const c of g.committed ?? []) {
    const ends = input.ends.get(c.topic)?.get(c.partition);
    const wkey = `${g.groupId}\u0000${tp(c.topic, c.partition)}`;
    if (!ends) {
      // Topic deleted or unreadable this tick: say so, invent nothing.
      rows.push({ groupId: g.groupId, topic: c.topic, partition: c.partition, committed: c.offset, end: "0", lag: null, timeLagSeconds: null, status: "ERR", reason: "end offset unavailable (topic deleted or unreadable)" });
      statuses.push("ERR");
      reasons.push(`${c.topic}/${c.partition}: end offset unavailable`);
      continue;
    }
    const committed = c.offset === null ? null : BigInt(c.offset);
    const previous = memory.windows.get(wkey) ?? [];
    const marker = markerAtEnd(previous.at(-1), committed, ends.high);
    const ol = marker ? { lag: 0n, reason: MARKER_REASON } : offsetLag(ends.high, committed, ends.low);
    const window = [...previous, { t: input.now, committed, end: ends.high, lag: ol.lag }].slice(-WINDOW);
    const st = partitionStatus({ samples: window, hasMembers }, input.now, WINDOW * intervalMs);
    const tl = timeLag(input, c.topic, c.partition, committed, ends, marker, memory.histories.get(tp(c.topic, c.partition)) ?? []);
    const reason = ol.reason && st.status === "OK" ? ol.reason : st.reason;
    rows.push({
      groupId: g.groupId,
      topic: c.topic,
      partition: c.partition,
      committed: c.offset,
      end: ends.high.toString(),
      lag: ol.lag === null ? null : Number(ol.lag),
      timeLagSeconds: tl.seconds === null ? null : Math.round(tl.seconds),
      timeLagSource: tl.seconds === null ? null : tl.source,
      status: st.status,
      reason,
    });
    statuses.push(st.status);
    reasons.push(`${c.topic}/${c.partition}: ${st.reason}`);
    windows.push([wkey, window]);
  }
  // Memory changes only once the whole group computed: a group that fails part-way leaves none.
  for (const [k, w] of windows) memory.windows.set(k, w);
  let status = groupStatus(statuses);
  // The group's reason is that of a partition that set its status, not merely the first one.
  const worst = statuses.indexOf(status);
  let reason = status === "OK" ? (statuses.length ? "all partitions OK" : "no committed offsets") : (reasons[worst] ?? reasons[0] ?? "");
  if (g.error) {
    status = "ERR";
    reason = `offsets unavailable: ${g.error}`;
  }
  const prev = memory.shapes.get(g.groupId);
  // Unknown membership keeps the last known shape: no rebalance is invented from a failed read.
  const members = g.members === null ? (prev?.members ?? "") : g.members.map((m) => m.memberId).sort().join(",");
  if (prev && g.members !== null && prev.members !== members) out.events.push({ groupId: g.groupId, kind: "rebalance", detail: `members ${prev.members.split(",").filter(Boolean).length} → ${g.members.length}` });
  if (prev && prev.status !== status) out.events.push({ groupId: g.groupId, kind: "status", detail: `${prev.status} → ${status}` });
  memory.shapes.set(g.groupId, { members, status });
  out.partitionRows.push(...rows);
  out.groupRows.push({
    groupId: g.groupId,
    state: g.state,
    members: g.members?.length ?? null,
    assignments: Object.fromEntries((g.members ?? []).map((m) => [m.memberId, { clientId: m.clientId, host: m.host, assignment: m.assignment }])),
    status,
    reason,
  });
}

/** Seconds behind: measured from the first unread record when the index has it, else interpolated. */
function timeLag(
  input: TickInput, topic: string, partition: number, committed: bigint | null, ends: { high: bigint; low: bigint }, marker: boolean, history: readonly EndSample[],
): { seconds: number | null; source: TimeLagSource } {
  if (marker) return { seconds: 0, source: "caught-up" };
  const from = nextOffset(committed, ends);
  const recordTs = from === null ? undefined : input.firstUnread?.get(firstUnreadKey(topic, partition, from));
  if (recordTs !== undefined) return { seconds: secondsSince(recordTs, input.now), source: "record" };
  const seconds = timeLagSeconds(history, committed, input.now, ends.low);
  return { seconds, source: from === null && seconds === 0 ? "caught-up" : "interpolated" };
}

/** Drops memory of groups, partitions and topics that are gone, so a long-running sampler stays small. */
function forget(memory: SamplerMemory, input: TickInput): void {
  const groups = new Set(input.groups.map((g) => g.groupId));
  const seen = new Set(input.groups.flatMap((g) => (g.committed ?? []).map((c) => `${g.groupId}\u0000${tp(c.topic, c.partition)}`)));
  const failed = new Set(input.groups.filter((g) => g.committed === null).map((g) => g.groupId));
  for (const key of memory.windows.keys()) {
    const group = key.slice(0, key.indexOf("\u0000"));
    if (!groups.has(group) || (!failed.has(group) && !seen.has(key))) memory.windows.delete(key);
  }
  for (const group of memory.shapes.keys()) if (!groups.has(group)) memory.shapes.delete(group);
  for (const key of memory.histories.keys()) {
    const topic = key.slice(0, key.indexOf("\u0000"));
    if (!input.ends.has(topic)) memory.histories.delete(key);
  }
}
