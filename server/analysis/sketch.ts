// Latency histograms that merge by adding counts: fixed logarithmic buckets, so the tap can keep
// one per transition per minute and a reader adds any set of them (minutes, hours, all time).
//
// Bucket 0 holds 0 ms and less (out-of-order events); bucket b ≥ 1 holds
// [GROWTH^(b-1), GROWTH^b) ms. GROWTH 1.25 keeps a quantile within 12.5 % of the true value
// (reported at the bucket's geometric middle), and 127 buckets reach 1.25^126 ms ≈ 50 years,
// so no latency falls off the end. A transition that always takes about the same time fills 1–3
// buckets a minute.

export const GROWTH = 1.25;
export const MAX_BUCKET = 127;
const LOG_GROWTH = Math.log(GROWTH);

export function bucketOf(ms: number): number {
  if (!(ms > 0)) return 0; // also NaN
  if (ms < 1) return 1;
  return Math.min(MAX_BUCKET, Math.floor(Math.log(ms) / LOG_GROWTH) + 1);
}

/** The value a bucket reports: its geometric middle (0 for bucket 0). */
export function bucketValueMs(bucket: number): number {
  if (bucket <= 0) return 0;
  if (bucket === 1) return 0.5;
  return Math.round(GROWTH ** (bucket - 0.5));
}

/** bucket → count; counts may be any non-negative numbers. */
export type Histogram = Map<number, number>;

export function addTo(h: Histogram, bucket: number, count: number): void {
  const next = (h.get(bucket) ?? 0) + count;
  if (next === 0) h.delete(bucket);
  else h.set(bucket, next);
}

export function total(h: Histogram): number {
  let n = 0;
  for (const c of h.values()) n += c;
  return n;
}

/** The q-quantile (0 < q ≤ 1) in ms, or null for an empty histogram. */
export function quantileMs(h: Histogram, q: number): number | null {
  const n = total(h);
  if (n <= 0) return null;
  const rank = Math.max(1, Math.ceil(q * n));
  let seen = 0;
  for (const b of [...h.keys()].sort((a, c) => a - c)) {
    seen += h.get(b)!;
    if (seen >= rank) return bucketValueMs(b);
  }
  return bucketValueMs(MAX_BUCKET);
}
