// Burrow-style status of a consumer group per partition, over a window of the last N sampler ticks.
//
// Burrow reads every commit event from __consumer_offsets and calls a partition STOP when the time
// since the last commit exceeds the span of the window's commits. We only sample the committed
// offset, so a group that commits the same offset every few seconds looks exactly like one that
// stopped committing. What tells them apart is the group's membership (kafkajs describeGroups):
//   - STOP: lag > 0 and the group has no active members (state Empty or Dead): nobody is consuming.
//     When membership is unknown, STOP also when the committed offset has not moved while lag > 0
//     for longer than `stopAfterMs` (over at least two samples).
//   - STALL: lag > 0 in every sample and the committed offset unchanged across the whole window,
//     with members present (or unknown and not yet `stopAfterMs`): consumers alive but stuck,
//     e.g. retrying a poison record. Known members keep it STALL however long it lasts.
// "Unchanged while lag > 0" counts only the trailing samples with lag > 0: a group caught up on a
// quiet topic has nothing to commit, and must not look stopped the moment one record arrives.
//
// Rules, first match wins, in Burrow's order: ERR (partition not sampled) → OK (no commit: lag
// unknown, said so) → OK (lag 0 now) → STOP (no members) → OK (fewer than 2 samples) → STOP
// (membership unknown, stuck > stopAfterMs) → OK (lag 0 somewhere in the window) → REWIND
// (committed offset went backwards) → STALL → WARN (committed moved, lag never decreased and grew
// at least once) → OK.
//
// Burrow's own cases (TestCachingEvaluator_CheckRules, linkedin/Burrow caching_test.go) run
// against this in tests/unit/lag-status-burrow.test.ts. Where Flowtap differs, and why:
//   - STOP from membership, as above (Burrow: no commit for longer than the window's span).
//   - One sample with lag is OK, "too few to judge" (Burrow calls a single commit with lag
//     STALL): one tick of a sampler says nothing about movement.
//   - WARN needs the lag to have grown at least once (Burrow: merely never decreased). Sampled
//     at a fixed pace, a consumer keeping up under steady load shows the same non-zero lag at
//     every tick (what is in flight between fetch and commit); WARN on it would flag every busy
//     healthy consumer.
//   - A REWIND stays REWIND while it is in the window and lag was never 0, even once the
//     consumer is past its old high point: that is Burrow's case 7, not a difference.
// A transaction marker left at the log end is "caught up" before these rules run (tx-marker.ts).

export type LagStatus = "OK" | "WARN" | "STALL" | "REWIND" | "STOP" | "ERR";

/**
 * Mildest to worst. WARN can resolve itself; STALL needs someone to unstick a live consumer; REWIND
 * ranks above it because re-read records mean duplicate side effects downstream; STOP means nobody
 * consumes and lag grows without bound; ERR (partition not sampled) is worst because it could hide
 * any of these — a group must not look healthier than what we could not see.
 */
export const LAG_STATUSES: readonly LagStatus[] = ["OK", "WARN", "STALL", "REWIND", "STOP", "ERR"];

/** One sampler tick for a group's partition; `lag` as `offsetLag` computed it. */
export interface WindowSample {
  t: number;
  committed: bigint | null;
  end: bigint;
  lag: bigint | null;
}

export interface PartitionWindow {
  /** The last N ticks, oldest first. */
  samples: readonly WindowSample[];
  /** Set when the sampler could not read this partition on its latest tick. */
  error?: string | null;
  /** From describeGroups: false when the group has no members (Empty/Dead); undefined when unknown. */
  hasMembers?: boolean;
}

export interface StatusResult {
  status: LagStatus;
  reason: string;
}

type Committed = WindowSample & { committed: bigint; lag: bigint };

const n = (v: bigint) => v.toLocaleString("en-US");

function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  return `${Math.round(s / 3600)} h`;
}

/** Status of one partition of a group at `now`; see the rules at the top of this file. */
export function partitionStatus(window: PartitionWindow, now: number, stopAfterMs: number): StatusResult {
  if (window.error) return { status: "ERR", reason: `not sampled: ${window.error}` };
  const newest = window.samples.at(-1);
  if (!newest) return { status: "ERR", reason: "no samples" };
  if (newest.committed === null || newest.lag === null) return { status: "OK", reason: "no commit on this partition: lag unknown" };
  if (newest.lag <= 0n) return { status: "OK", reason: "caught up" };
  const lag = newest.lag;
  if (window.hasMembers === false) return { status: "STOP", reason: `lag ${n(lag)} and the group has no active members` };

  // Ticks without a commit (before the first one, or after offsets expired) say nothing about movement.
  const s = window.samples.filter((x): x is Committed => x.committed !== null && x.lag !== null);
  if (s.length < 2) return { status: "OK", reason: `lag ${n(lag)}; too few samples to judge` };

  let k = s.length - 1; // first index of the trailing run stuck at the newest committed offset with lag > 0
  while (k > 0 && s[k - 1]!.committed === newest.committed && s[k - 1]!.lag > 0n) k--;
  const stuckSamples = s.length - k;
  const stuck = `lag ${n(lag)} and committed offset ${n(newest.committed)} unchanged for ${stuckSamples} samples (${duration(now - s[k]!.t)})`;
  if (window.hasMembers === undefined && stuckSamples >= 2 && now - s[k]!.t > stopAfterMs) {
    return { status: "STOP", reason: `${stuck}: no commit progress for longer than ${duration(stopAfterMs)}` };
  }

  if (s.some((x) => x.lag <= 0n)) return { status: "OK", reason: `lag ${n(lag)}; lag was 0 within the window` };
  for (let i = 1; i < s.length; i++) {
    const before = s[i - 1]!.committed;
    const after = s[i]!.committed;
    if (after < before) return { status: "REWIND", reason: `committed offset went back from ${n(before)} to ${n(after)}` };
  }
  if (k === 0) return { status: "STALL", reason: window.hasMembers ? `${stuck} with members present` : stuck };

  const moved = s[0]!.committed !== newest.committed;
  let grew = false;
  let shrank = false;
  for (let i = 1; i < s.length; i++) {
    if (s[i]!.lag > s[i - 1]!.lag) grew = true;
    if (s[i]!.lag < s[i - 1]!.lag) shrank = true;
  }
  if (moved && grew && !shrank) {
    return { status: "WARN", reason: `lag grew from ${n(s[0]!.lag)} to ${n(lag)} over ${s.length} samples (${duration(newest.t - s[0]!.t)}) while committing` };
  }
  return { status: "OK", reason: `lag ${n(lag)}; consumer making progress` };
}

/** A group's status is its worst partition's; a group with no partitions is OK. */
export function groupStatus(statuses: readonly LagStatus[]): LagStatus {
  let worst = 0;
  for (const st of statuses) worst = Math.max(worst, LAG_STATUSES.indexOf(st));
  return LAG_STATUSES[worst]!;
}
