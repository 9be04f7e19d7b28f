// Failed sign-ins per key in a sliding window. Pure: the caller passes the clock.
// Beyond `maxFailures` failures in `windowMs` the key is refused until the oldest failure
// leaves the window; a success clears the key.

export interface ThrottleOptions {
  maxFailures: number;
  windowMs: number;
  /** Keys remembered at most; the stalest are forgotten first (bounds memory under a spray of names). */
  maxKeys: number;
}

export class FailureThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly opts: ThrottleOptions) {}

  /** Milliseconds until `key` may try again; 0 when it may try now. */
  retryAfterMs(key: string, now: number): number {
    const recent = this.recent(key, now);
    if (recent.length < this.opts.maxFailures) return 0;
    return recent[recent.length - this.opts.maxFailures]! + this.opts.windowMs - now;
  }

  fail(key: string, now: number): void {
    const recent = this.recent(key, now);
    recent.push(now);
    // Only the newest maxFailures matter for the answer.
    if (recent.length > this.opts.maxFailures) recent.splice(0, recent.length - this.opts.maxFailures);
    // Re-inserting moves the key to the end of the map's order: the front holds the stalest.
    this.failures.delete(key);
    this.failures.set(key, recent);
    while (this.failures.size > this.opts.maxKeys) {
      const stalest = this.failures.keys().next().value;
      if (stalest === undefined) break;
      this.failures.delete(stalest);
    }
  }

  /** Takes back the failure recorded at `at` (one counted before the outcome was known). */
  forgive(key: string, at: number): void {
    const list = this.failures.get(key);
    const i = list?.lastIndexOf(at) ?? -1;
    if (list && i >= 0) list.splice(i, 1);
    if (list?.length === 0) this.failures.delete(key);
  }

  succeed(key: string): void {
    this.failures.delete(key);
  }

  private recent(key: string, now: number): number[] {
    const all = this.failures.get(key) ?? [];
    const recent = all.filter((t) => now - t < this.opts.windowMs);
    if (recent.length === 0) this.failures.delete(key);
    return recent;
  }
}
