// What changed between a window and its baseline, decided on the server (pure; shared with the
// browser, which re-words the sentence in local time).
//
// The rule avoids flagging noise. With 3 flow types × ~12 steps × 2 kinds the map makes ~100
// comparisons an answer, so each must be unlikely by chance alone:
//  - a stop share changed when both windows hold ≥ 20 flows of the type, the larger stop count is
//    ≥ 5 flows, the share moved by ≥ 5 points and by a factor ≥ 2 (1 % → 31 %: yes; 10 % → 14 %:
//    no), and a two-proportion z-test gives |z| ≥ 3.29 (two-sided p < 0.001, so ~0.1 false flags
//    an answer at 100 comparisons). 2 of 10 vs 0 of 10 fails on counts before any test.
//  - a transition's p95 grew when both windows hold ≥ 20 samples, p95 at least doubled and by
//    ≥ 250 ms (the log buckets are ±12.5 %, so rounding alone moves a p95 by ≤ 1.27×), and the
//    share of samples above the baseline's p95 bucket passes the same z-test.
import { DAY_MS, HOUR_MS, MINUTE_MS, type CompareMode } from "../contract/flowmap";
import { quantileMs, type Histogram } from "./sketch";
import { parseStepKey } from "./steps";

/** A transition's key in maps: from, U+001E, to (step keys hold U+001F, never U+001E). */
export const transitionKey = (from: string, to: string) => `${from}\u001e${to}`;
export const splitTransitionKey = (key: string) => key.split("\u001e") as [string, string];

export const MIN_FLOWS = 20;
export const MIN_STOPS = 5;
export const MIN_SHARE_DELTA = 0.05;
export const MIN_RATIO = 2;
export const MIN_P95_DELTA_MS = 250;
export const Z_CRITICAL = 3.29;

export interface Counts {
  /** Flows with the property (stopped after the step; slower than the baseline's p95). */
  k: number;
  /** Flows that could have it. */
  n: number;
}

/** Two-proportion z statistic with the pooled share; 0 when either side is empty. */
export function zScore(a: Counts, b: Counts): number {
  if (a.n <= 0 || b.n <= 0) return 0;
  const pooled = (a.k + b.k) / (a.n + b.n);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / a.n + 1 / b.n));
  const diff = a.k / a.n - b.k / b.n;
  if (se === 0) return diff === 0 ? 0 : Math.sign(diff) * Infinity;
  return diff / se;
}

/** "up" or "down" when the stop share changed notably (rule above), else null. */
export function stopShareChange(cur: Counts, base: Counts): "up" | "down" | null {
  if (cur.n < MIN_FLOWS || base.n < MIN_FLOWS || Math.max(cur.k, base.k) < MIN_STOPS) return null;
  const p1 = cur.k / cur.n;
  const p0 = base.k / base.n;
  if (Math.abs(p1 - p0) < MIN_SHARE_DELTA) return null;
  const [hi, lo] = p1 > p0 ? [p1, p0] : [p0, p1];
  if (hi < MIN_RATIO * lo) return null;
  if (Math.abs(zScore(cur, base)) < Z_CRITICAL) return null;
  return p1 > p0 ? "up" : "down";
}

function count(h: Histogram): number {
  let n = 0;
  for (const c of h.values()) n += c;
  return n;
}

/** The bucket holding the q-quantile (the sketch reports its value; the rule needs the bucket). */
export function quantileBucket(h: Histogram, q: number): number | null {
  const n = count(h);
  if (n <= 0) return null;
  const rank = Math.max(1, Math.ceil(q * n));
  let seen = 0;
  for (const b of [...h.keys()].sort((x, y) => x - y)) {
    seen += h.get(b)!;
    if (seen >= rank) return b;
  }
  return null;
}

/** Samples in buckets above `bucket`, of all samples. */
export function above(h: Histogram, bucket: number): Counts {
  let k = 0;
  for (const [b, c] of h) if (b > bucket) k += c;
  return { k, n: count(h) };
}

export interface LatencyChange {
  p95Ms: number;
  baselineP95Ms: number;
  /** Samples slower than the baseline's p95 bucket, now and then: what "since" follows. */
  bucket: number;
  cur: Counts;
  base: Counts;
}

export function latencyChange(cur: Histogram, base: Histogram): LatencyChange | null {
  if (count(cur) < MIN_FLOWS || count(base) < MIN_FLOWS) return null;
  const p95 = quantileMs(cur, 0.95);
  const p95Base = quantileMs(base, 0.95);
  const bucket = quantileBucket(base, 0.95);
  if (p95 === null || p95Base === null || bucket === null) return null;
  if (p95 < MIN_RATIO * p95Base || p95 - p95Base < MIN_P95_DELTA_MS) return null;
  const c = above(cur, bucket);
  const b = above(base, bucket);
  if (zScore(c, b) < Z_CRITICAL) return null;
  return { p95Ms: p95, baselineP95Ms: p95Base, bucket, cur: c, base: b };
}

/** One time slice of a window: an hour or a minute row group. */
export interface Piece extends Counts {
  t: number;
}

const EPS = 1e-6;
const ll = (k: number, n: number, p: number) => {
  const q = Math.min(1 - EPS, Math.max(EPS, p));
  return k * Math.log(q) + (n - k) * Math.log(1 - q);
};

/**
 * Where the new behaviour starts: the split that makes the slices most likely when those before it
 * behave as the baseline (share p0) and those from it on share one new rate of their own (the
 * maximum-likelihood change point of a Bernoulli sequence, O(n)). A minute with one stop among six
 * flows then stays with the old behaviour when the old share is 6 % and the new one 45 %, which a
 * plain threshold halfway between the window's average and p0 would not. Returns the t of the first
 * slice from the split on that shows the behaviour (a flow with it, for a rise), or null.
 */
export function changePoint(pieces: readonly Piece[], p0: number): number | null {
  const sufK: number[] = [];
  const sufN: number[] = [];
  for (let i = pieces.length - 1, k = 0, n = 0; i >= 0; i--) {
    k += pieces[i]!.k;
    n += pieces[i]!.n;
    sufK[i] = k;
    sufN[i] = n;
  }
  let best = -Infinity;
  let at = -1;
  let prefix = 0;
  pieces.forEach((p, m) => {
    const [k, n] = [sufK[m]!, sufN[m]!];
    const score = n > 0 ? prefix + ll(k, n, k / n) : -Infinity;
    if (score > best) [best, at] = [score, m];
    prefix += ll(p.k, p.n, p0);
  });
  if (at < 0) return null;
  const up = sufK[at]! / sufN[at]! > p0;
  for (let i = at; i < pieces.length; i++) if (up ? pieces[i]!.k > 0 : pieces[i]!.n > 0) return pieces[i]!.t;
  return null;
}

export function formatPercent(p: number): string {
  if (p === 0) return "0 %";
  if (p < 0.01) return `${(p * 100).toFixed(1)} %`;
  return `${Math.round(p * 100)} %`;
}

export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${(ms / 60_000).toFixed(1)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

/** A step as a sentence names it: its event type, or service · type when the type is unknown. */
export function stepName(key: string): string {
  const s = parseStepKey(key);
  return s.eventType || `${s.service || "(no service)"} · (no type)`;
}

export type ChangeFacts =
  | { kind: "stop-share"; after: string; since: string | null; share: number; baselineShare: number }
  | { kind: "latency"; from: string; to: string; since: string | null; p95Ms: number; baselineP95Ms: number };

/** "since 14:02, 31 % of OrderCreated flows stop after PaymentProcessed, 1 % in the hour before". */
export function changeText(c: ChangeFacts, type: string, baselineLabel: string, time: (iso: string) => string): string {
  const since = c.since === null ? "" : `since ${time(c.since)}, `;
  if (c.kind === "stop-share") {
    return `${since}${formatPercent(c.share)} of ${type} flows stop after ${stepName(c.after)}, ${formatPercent(c.baselineShare)} in ${baselineLabel}`;
  }
  return `${since}${stepName(c.to)} p95 ${formatMs(c.p95Ms)} after ${stepName(c.from)}, was ${formatMs(c.baselineP95Ms)} in ${baselineLabel}`;
}

/** "the hour before", "the 6 h before", "the same time a day earlier": the baseline, for sentences. */
export function baselineLabel(windowMs: number, compare: CompareMode): string {
  if (compare === "day") return "the same time a day earlier";
  if (compare === "week") return "the same time a week earlier";
  if (windowMs === HOUR_MS) return "the hour before";
  if (windowMs === DAY_MS) return "the day before";
  if (windowMs % DAY_MS === 0) return `the ${windowMs / DAY_MS} days before`;
  if (windowMs % HOUR_MS === 0) return `the ${windowMs / HOUR_MS} h before`;
  return `the ${Math.round(windowMs / MINUTE_MS)} min before`;
}
