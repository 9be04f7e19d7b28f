// One sampler tick, as pure computation: what the sampler fetched, plus the memory it keeps
// between ticks (end-offset histories, status windows, last group shapes), in; rows to store
// and the updated memory out. No I/O, no clock: `now` is given.
import { groupStatus, partitionStatus, type LagStatus, type WindowSample } from "./status";
import { appendSample, offsetLag, timeLagSeconds, type EndSample } from "./time-lag";

export const WINDOW = 10;
export const HISTORY_MAX = 1000;

export interface FetchedGroup {
  groupId: string;
  state: string;
  members: Array<{ memberId: string; clientId: string; host: string; assignment: Record<string, number[]> }>;
  /** null: the group's offsets could not be fetched this tick (its error). */
  committed: Array<{ topic: string; partition: number; offset: string | null }> | null;
  error: string | null;
}

export interface TickInput {
  now: number;
  groups: FetchedGroup[];
  /** topic → partition → { high, low }; a topic missing here could not be read (deleted, error). */
  ends: Map<string, Map<number, { high: bigint; low: bigint }>>;
}

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
  status: LagStatus;
  reason: string;
}

export interface GroupRow {
  groupId: string;
  state: string;
  members: number;
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
    const hasMembers = g.members.length > 0;
    const statuses: LagStatus[] = [];
    const reasons: string[] = [];
    for (const c of g.committed ?? []) {
      const ends = input.ends.get(c.topic)?.get(c.partition);
      const wkey = `${g.groupId}\u0000${tp(c.topic, c.partition)}`;
      if (!ends) {
        // Topic deleted or unreadable this tick: say so, invent nothing.
        out.partitionRows.push({ groupId: g.groupId, topic: c.topic, partition: c.partition, committed: c.offset, end: "0", lag: null, timeLagSeconds: null, status: "ERR", reason: "end offset unavailable (topic deleted or unreadable)" });
        statuses.push("ERR");
        reasons.push(`${c.topic}/${c.partition}: end offset unavailable`);
        continue;
      }
      const committed = c.offset === null ? null : BigInt(c.offset);
      const ol = offsetLag(ends.high, committed, ends.low);
      const window = [...(memory.windows.get(wkey) ?? []), { t: input.now, committed, end: ends.high, lag: ol.lag }].slice(-WINDOW);
      memory.windows.set(wkey, window);
      const st = partitionStatus({ samples: window, hasMembers }, input.now, WINDOW * intervalMs);
      const tl = timeLagSeconds(memory.histories.get(tp(c.topic, c.partition)) ?? [], committed, input.now, ends.low);
      const reason = ol.reason && st.status === "OK" ? ol.reason : st.reason;
      out.partitionRows.push({
        groupId: g.groupId,
        topic: c.topic,
        partition: c.partition,
        committed: c.offset,
        end: ends.high.toString(),
        lag: ol.lag === null ? null : Number(ol.lag),
        timeLagSeconds: tl === null ? null : Math.round(tl),
        status: st.status,
        reason,
      });
      statuses.push(st.status);
      reasons.push(`${c.topic}/${c.partition}: ${st.reason}`);
    }
    let status = groupStatus(statuses);
    // The group's reason is that of a partition that set its status, not merely the first one.
    const worst = statuses.indexOf(status);
    let reason = status === "OK" ? (statuses.length ? "all partitions OK" : "no committed offsets") : (reasons[worst] ?? reasons[0] ?? "");
    if (g.error) {
      status = "ERR";
      reason = `offsets unavailable: ${g.error}`;
    }
    const members = g.members.map((m) => m.memberId).sort().join(",");
    const prev = memory.shapes.get(g.groupId);
    if (prev && prev.members !== members) out.events.push({ groupId: g.groupId, kind: "rebalance", detail: `members ${prev.members.split(",").filter(Boolean).length} → ${g.members.length}` });
    if (prev && prev.status !== status) out.events.push({ groupId: g.groupId, kind: "status", detail: `${prev.status} → ${status}` });
    memory.shapes.set(g.groupId, { members, status });
    out.groupRows.push({
      groupId: g.groupId,
      state: g.state,
      members: g.members.length,
      assignments: Object.fromEntries(g.members.map((m) => [m.memberId, { clientId: m.clientId, host: m.host, assignment: m.assignment }])),
      status,
      reason,
    });
  }
  forget(memory, input);
  return out;
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
