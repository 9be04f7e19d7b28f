// Lag series for charts: downsampling long ranges and adding partitions up to a topic or group.

/** Offset lag (records) and time lag (seconds) at `t` (ms epoch); null where unknown. */
export interface LagPoint {
  t: number;
  lag: number | null;
  timeLag: number | null;
}

function maxOrNull(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}

/**
 * At most `maxPoints` points over [fromMs, toMs]: equal time buckets, each stamped with its start
 * and holding the max lag and max time lag of its points (a spike is what an alert cares about; an
 * average would hide it). A bucket's value is null only when all its points are; empty buckets are
 * left out, so a gap in sampling stays visible. Every series bucketed with the same range and
 * `maxPoints` shares timestamps, which `sumPartitions` relies on.
 */
export function downsample(points: readonly LagPoint[], fromMs: number, toMs: number, maxPoints: number): LagPoint[] {
  if (!Number.isInteger(maxPoints) || maxPoints < 1) throw new RangeError("maxPoints must be a positive integer");
  if (!(toMs > fromMs)) return [];
  const width = (toMs - fromMs) / maxPoints;
  const buckets = new Map<number, LagPoint>();
  for (const p of points) {
    if (p.t < fromMs || p.t > toMs) continue;
    const i = Math.min(maxPoints - 1, Math.floor((p.t - fromMs) / width)); // toMs itself joins the last bucket
    const b = buckets.get(i);
    if (b) {
      b.lag = maxOrNull(b.lag, p.lag);
      b.timeLag = maxOrNull(b.timeLag, p.timeLag);
    } else {
      buckets.set(i, { t: Math.floor(fromMs + i * width), lag: p.lag, timeLag: p.timeLag });
    }
  }
  return [...buckets.entries()].sort((a, b) => a[0] - b[0]).map(([, b]) => b);
}

/**
 * One series for a topic or group from its partitions' series, at every timestamp any of them has:
 * offset lag is the sum over partitions (records waiting in total); time lag is the max (the group
 * is as far behind as its slowest partition; adding seconds means nothing). A partition without a
 * value at a timestamp adds nothing there; a timestamp where none has a value stays null.
 */
export function sumPartitions(seriesByPartition: Iterable<readonly LagPoint[]>): LagPoint[] {
  const byT = new Map<number, LagPoint>();
  for (const series of seriesByPartition) {
    for (const p of series) {
      const acc = byT.get(p.t);
      if (acc) {
        acc.lag = p.lag === null ? acc.lag : (acc.lag ?? 0) + p.lag;
        acc.timeLag = maxOrNull(acc.timeLag, p.timeLag);
      } else {
        byT.set(p.t, { ...p });
      }
    }
  }
  return [...byT.values()].sort((a, b) => a.t - b.t);
}
