// Offset lag and time lag (seconds behind) per partition, estimated as kafka-lag-exporter does:
// a short table of (wall time, end offset) samples per partition tells when the log's end was at
// a given offset. A group committed at offset c has consumed everything below c, so it is as far
// behind as the last moment the log ended at c. Pure: the caller passes `now`.

/** One sampler reading of a partition's end offset (high watermark) at wall time `t` (ms epoch). */
export interface EndSample {
  t: number;
  end: bigint;
}

export interface OffsetLag {
  /** Records the group still has to read; null when it cannot be said (no commit). */
  lag: bigint | null;
  /** Why `lag` is null or not simply end − committed. */
  reason?: string;
}

/** The samples since the end offset last went down: older ones belong to a deleted incarnation of the topic. */
function usable(history: readonly EndSample[]): readonly EndSample[] {
  for (let i = history.length - 1; i > 0; i--) {
    if (history[i]!.end < history[i - 1]!.end) return history.slice(i);
  }
  return history;
}

/** Linear interpolation on a rising segment (l.end < r.end), so never a division by zero. */
function between(l: EndSample, r: EndSample, offset: bigint): number {
  return l.t + (Number(offset - l.end) / Number(r.end - l.end)) * (r.t - l.t);
}

/**
 * The wall time (ms) at which `offset` was the partition's end offset; null when the history cannot
 * tell (empty, or `offset` is below every sample and no rising segment gives a rate to extrapolate with).
 *
 * A flat run (the end offset unchanged over several samples) maps to its *last* sample: nothing was
 * produced during the run, so a group committed at that offset had everything the log held until
 * then. Taking the run's first sample would make a group on a quiet topic look as far behind as the
 * quiet spell is long. kafka-lag-exporter gets the same result by searching from the newest segment.
 */
export function estimateProduceTime(history: readonly EndSample[], offset: bigint): number | null {
  const h = usable(history);
  const newest = h.at(-1);
  if (!newest) return null;
  if (offset >= newest.end) return newest.t;
  for (let i = h.length - 1; i > 0; i--) {
    const l = h[i - 1]!;
    const r = h[i]!;
    if (l.end < r.end && l.end <= offset && offset <= r.end) return between(l, r, offset);
  }
  // Below the oldest sample: those records were produced before it; guess how long before from the
  // earliest production rate known (the first rising segment, since a flat start has no rate).
  const rise = h.findIndex((s) => s.end > h[0]!.end);
  if (rise < 1) return null;
  const l = h[rise - 1]!;
  const r = h[rise]!;
  const msPerRecord = (r.t - l.t) / Number(r.end - l.end);
  return h[0]!.t - Number(h[0]!.end - offset) * msPerRecord;
}

/**
 * Seconds the group is behind: now − produce time of its next record; 0 when caught up, never
 * negative (a dashboard clock behind the sampler's must not give negative lag), never above
 * MAX_TIME_LAG_S; null with no commit or when the history cannot tell. Append this tick's end
 * offset to `history` first. With `logStart`, a commit below it counts from the oldest record
 * still in the log, as `offsetLag` does.
 */
export function timeLagSeconds(history: readonly EndSample[], committed: bigint | null, now: number, logStart?: bigint | null): number | null {
  if (committed === null || committed < 0n) return null;
  const h = usable(history);
  const newest = h.at(-1);
  if (!newest) return null;
  const from = logStart != null && committed < logStart ? logStart : committed;
  if (from >= newest.end) return 0;
  const produced = estimateProduceTime(h, from);
  return produced === null ? null : saturate((now - produced) / 1000);
}

/**
 * Seconds behind measured, not estimated: now − the timestamp of the first record the group has
 * not read (as the index holds it). Same clamps as `timeLagSeconds`: a producer clock ahead of ours
 * gives 0, never negative; NaN (no usable time) is null.
 */
export function secondsSince(recordTs: number, now: number): number | null {
  return saturate((now - recordTs) / 1000);
}

/**
 * The most seconds behind we report: Number.MAX_SAFE_INTEGER, what a JS number, JSON and the
 * bigint `time_lag_s` column all carry exactly. Nothing real gets near it (285 million years);
 * only absurd clocks or an extrapolation over billions of records do, and those must saturate
 * rather than overflow the column (which failed every tick's insert) or print as 1e+23.
 */
export const MAX_TIME_LAG_S = Number.MAX_SAFE_INTEGER;

/** NaN (a garbage sample time) cannot be told: null. Otherwise clamped to [0, MAX_TIME_LAG_S]. */
function saturate(seconds: number): number | null {
  if (Number.isNaN(seconds)) return null;
  return Math.min(MAX_TIME_LAG_S, Math.max(0, seconds));
}

/**
 * Offset lag = end − committed, with the cases where that subtraction lies spelled out.
 * kafkajs reports "no commit" as offset -1, so a negative committed offset counts as none.
 */
export function offsetLag(end: bigint, committed: bigint | null, logStart?: bigint | null): OffsetLag {
  if (committed === null || committed < 0n) return { lag: null, reason: "no commit" };
  if (committed > end) return { lag: 0n, reason: "committed offset above end offset (topic recreated or truncated)" };
  if (logStart != null && committed < logStart) {
    // Phantom lag: the records between committed and log start no longer exist; the group can only skip them.
    return { lag: end - logStart, reason: "committed offset below log start (records deleted by retention)" };
  }
  return { lag: end - committed };
}

/**
 * Adds a sampler reading to a partition's history (a new array; the input is not changed), keeping
 * at most `maxSamples`. Readings not newer than the last are ignored; an end offset lower than the
 * last means the topic was recreated or truncated, so the history restarts from this reading. A flat
 * run keeps only its first and last samples (as kafka-lag-exporter does), so a quiet topic does not
 * push the rising segments that carry the production rate out of the table.
 */
export function appendSample(history: readonly EndSample[], sample: EndSample, maxSamples: number): readonly EndSample[] {
  if (!Number.isInteger(maxSamples) || maxSamples < 2) throw new RangeError("maxSamples must be an integer ≥ 2: interpolation needs two samples");
  const last = history.at(-1);
  if (!last) return [sample];
  if (sample.t <= last.t) return history;
  if (sample.end < last.end) return [sample];
  const prev = history.at(-2);
  const flat = prev !== undefined && prev.end === last.end && last.end === sample.end;
  const next = [...(flat ? history.slice(0, -1) : history), sample];
  return next.length > maxSamples ? next.slice(next.length - maxSamples) : next;
}
