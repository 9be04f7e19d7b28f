// "When does this group reach that event?" from the group's committed offsets over the last few
// minutes (lag_samples). Pure: the caller passes the samples.
//
// Rate = records committed / time the group had something to read. Time spent caught up (end
// offset = committed at the step's start) is left out: a group idle for lack of records is not
// slow, and counting that time would stretch the ETA of the first record to arrive. A step whose
// commit went backwards (a reset, a REWIND) says nothing about speed and is skipped whole.
//
// Hostile samples (offsets going backwards, resets to "no commit", duplicate or unordered times,
// non-finite times, offsets beyond 2^53) never give NaN, Infinity or a negative figure.

export interface CommitSample {
  /** Wall time of the sampler tick (ms). */
  t: number;
  committed: bigint | null;
  /** The partition's end offset at that tick; null when unknown (then every step counts as busy). */
  end: bigint | null;
}

export interface Consumption {
  /** Records committed over the busy steps. */
  records: number;
  /** Time (ms) with something to read. */
  busyMs: number;
}

export interface Eta {
  /** "consuming": `etaSeconds` says when; "not-consuming": it will not at this rate; "unknown": no rate to go by. */
  state: "consuming" | "not-consuming" | "unknown";
  /** Records the group reads until it has read this event, the event included; null without a commit. */
  recordsBefore: number | null;
  etaSeconds: number | null;
  /** Records a second, measured on the event's partition or, when that partition gives no rate, averaged over the topic's. */
  ratePerSecond: number | null;
  basis: "partition" | "topic" | null;
  reason: string;
}

/**
 * Below this much busy time a rate is not trusted, nor is "not moving" concluded: 30 s is three
 * ticks at the default 10 s interval, so one tick where a record arrived just before the sample
 * does not read as a stopped consumer.
 */
export const MIN_BUSY_MS = 30_000;
/** The largest figure reported (records, seconds): what JSON and a JS number carry exactly. */
const MAX = Number.MAX_SAFE_INTEGER;

const clampCount = (v: bigint) => (v <= 0n ? 0 : v >= BigInt(MAX) ? MAX : Number(v));

/** Records committed and busy time over a partition's samples; see the rules at the top of this file. */
export function consumption(samples: readonly CommitSample[]): Consumption {
  const usable = samples
    .filter((s): s is CommitSample & { committed: bigint } => Number.isFinite(s.t) && s.committed !== null && s.committed >= 0n)
    .sort((a, b) => a.t - b.t);
  // Two readings at one time: keep the later one read (the last in the input order).
  const byTime: typeof usable = [];
  for (const s of usable) {
    if (byTime.length && byTime.at(-1)!.t === s.t) byTime[byTime.length - 1] = s;
    else byTime.push(s);
  }
  let records = 0;
  let busyMs = 0;
  for (let i = 1; i < byTime.length; i++) {
    const a = byTime[i - 1]!;
    const b = byTime[i]!;
    const dt = b.t - a.t;
    if (!(dt > 0 && Number.isFinite(dt))) continue;
    const moved = b.committed - a.committed;
    if (moved < 0n) continue;
    const hadWork = moved > 0n || a.end === null || a.end > a.committed;
    if (!hadWork) continue;
    records = Math.min(MAX, records + clampCount(moved));
    busyMs = Math.min(Number.MAX_VALUE, busyMs + dt);
  }
  return { records, busyMs };
}

function sum(parts: readonly Consumption[]): Consumption {
  return parts.reduce((acc, p) => ({ records: Math.min(MAX, acc.records + p.records), busyMs: Math.min(Number.MAX_VALUE, acc.busyMs + p.busyMs) }), { records: 0, busyMs: 0 });
}

const seconds = (ms: number) => Math.round(ms / 1000);

function fromRate(c: Consumption, recordsBefore: number, basis: "partition" | "topic"): Eta {
  const ratePerSecond = c.records / (c.busyMs / 1000);
  if (!(ratePerSecond > 0) || !Number.isFinite(ratePerSecond)) {
    return { state: "not-consuming", recordsBefore, etaSeconds: null, ratePerSecond: 0, basis, reason: `no commit progress in ${seconds(c.busyMs)} s with records waiting` };
  }
  const eta = recordsBefore / ratePerSecond;
  const etaSeconds = Number.isFinite(eta) && eta >= 0 ? Math.min(MAX, eta) : MAX;
  return { state: "consuming", recordsBefore, etaSeconds, ratePerSecond, basis, reason: `${basis} rate over ${seconds(c.busyMs)} s of consuming` };
}

export interface EtaInput {
  eventOffset: bigint;
  committed: bigint | null;
  /** Active members; null when membership could not be read. */
  members: number | null;
  /** The group's samples on the event's partition. */
  partition: readonly CommitSample[];
  /** The group's samples on every partition of the topic (the event's included), one list each. */
  topic: ReadonlyArray<readonly CommitSample[]>;
}

export function estimateEta(input: EtaInput): Eta {
  const none = { etaSeconds: null, ratePerSecond: null, basis: null };
  if (input.committed === null || input.committed < 0n) {
    return { state: "unknown", recordsBefore: null, ...none, reason: "no commit on this partition yet: where the group starts depends on its auto.offset.reset" };
  }
  const recordsBefore = clampCount(input.eventOffset + 1n - input.committed);
  if (recordsBefore === 0) return { state: "consuming", recordsBefore, etaSeconds: 0, ratePerSecond: null, basis: null, reason: "already read" };
  if (input.members === 0) return { state: "not-consuming", recordsBefore, ...none, reason: "the group has no active members" };
  const own = consumption(input.partition);
  if (own.busyMs >= MIN_BUSY_MS) return fromRate(own, recordsBefore, "partition");
  // Too little work on this partition lately (say it was caught up until this event arrived):
  // its siblings' pace is the best guess, since a group usually reads its partitions alike.
  const topic = sum(input.topic.map(consumption));
  if (topic.busyMs >= MIN_BUSY_MS) return fromRate(topic, recordsBefore, "topic");
  return { state: "unknown", recordsBefore, ...none, reason: "too little recent consumption to measure a rate" };
}
