// How old the latest lag sample is, and when that makes it stale. The sampler may stop (Kafka
// unreachable, the sampling process down, its lease held by a dead process until it expires);
// the stored figures then stay as they were, and flat lag must not read as "all is well".
// Three intervals: one missed tick is noise (a slow tick is skipped, not queued, and the lease
// runs for three intervals), three are not.

export const STALE_AFTER_INTERVALS = 3;

/** Whole seconds from `sampledAt` to `now`; never negative (clocks of two hosts may disagree). */
export function sampleAgeSeconds(sampledAt: string, now: Date): number {
  const ms = now.getTime() - Date.parse(sampledAt);
  return Number.isFinite(ms) ? Math.max(0, Math.floor(ms / 1000)) : 0;
}

export function isStale(ageSeconds: number, intervalMs: number): boolean {
  return ageSeconds * 1000 > STALE_AFTER_INTERVALS * intervalMs;
}
