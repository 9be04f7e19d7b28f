// Failed sign-ins per key in a sliding window. Pure but for hashing: the caller passes the clock.
// Beyond `maxFailures` failures in `windowMs` the key is refused until the oldest of the last
// `maxFailures` leaves the window. A success takes back only its own count (`forgive`): a
// script that signs in correctly must not wipe a guesser's failures.
//
// Memory is bounded in keys and in key length. When full, the key with the fewest recent
// failures goes first (a spray of junk names, one failure each, evicts junk), the stalest of
// equals; a locked key is never forgotten. If every key is locked a new key is refused until a
// lock expires: failing closed for newcomers, instead of handing a victim's counter back.
import { createHash } from "node:crypto";

export interface ThrottleOptions {
  maxFailures: number;
  windowMs: number;
  /** Keys remembered at most. */
  maxKeys: number;
}

/** Longer keys are stored as a digest: a 16 KB user name must not cost 16 KB a failure. */
const MAX_KEY_CHARS = 64;

export class FailureThrottle {
  /** Key → failure times, oldest first; the map's order is least recently failed first. */
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly opts: ThrottleOptions) {}

  get size(): number {
    return this.failures.size;
  }

  get longestKey(): number {
    let max = 0;
    for (const k of this.failures.keys()) max = Math.max(max, k.length);
    return max;
  }

  /** Milliseconds until `key` may try again; 0 when it may try now. */
  retryAfterMs(key: string, now: number): number {
    const k = storedKey(key);
    const recent = this.recent(k, now);
    if (recent.length >= this.opts.maxFailures) return this.unlockAt(recent) - now;
    if (recent.length === 0 && !this.makeRoom(now, false)) return this.soonestUnlock(now) - now;
    return 0;
  }

  fail(key: string, now: number): void {
    const k = storedKey(key);
    const recent = this.recent(k, now);
    if (recent.length === 0 && !this.makeRoom(now, true)) return; // refused by retryAfterMs anyway
    recent.push(now);
    // Only the newest maxFailures matter for the answer.
    if (recent.length > this.opts.maxFailures) recent.splice(0, recent.length - this.opts.maxFailures);
    // Re-inserting moves the key to the end of the map's order.
    this.failures.delete(k);
    this.failures.set(k, recent);
  }

  /** Takes back the failure recorded at `at` (one counted before the outcome was known). */
  forgive(key: string, at: number): void {
    const k = storedKey(key);
    const list = this.failures.get(k);
    const i = list?.lastIndexOf(at) ?? -1;
    if (list && i >= 0) list.splice(i, 1);
    if (list?.length === 0) this.failures.delete(k);
  }

  private unlockAt(recent: number[]): number {
    return recent[recent.length - this.opts.maxFailures]! + this.opts.windowMs;
  }

  private recent(k: string, now: number): number[] {
    const all = this.failures.get(k);
    if (!all) return [];
    const first = all.findIndex((t) => now - t < this.opts.windowMs);
    if (first === -1) {
      this.failures.delete(k);
      return [];
    }
    if (first > 0) all.splice(0, first);
    return all;
  }

  /**
   * True when a new key fits. Drops keys whose failures have all left the window; when still
   * full and `evict`, forgets the unlocked key with the fewest failures (the stalest of those).
   */
  private makeRoom(now: number, evict: boolean): boolean {
    if (this.failures.size < this.opts.maxKeys) return true;
    let victim: string | null = null;
    let fewest = Infinity;
    // Deleting while iterating a Map is safe: deleted entries are skipped.
    for (const k of this.failures.keys()) {
      const n = this.recent(k, now).length;
      if (n === 0) return true; // an expired key was dropped: room made
      if (n < this.opts.maxFailures && n < fewest) {
        victim = k;
        fewest = n;
        if (n === 1) break; // none has fewer
      }
    }
    if (victim === null) return false;
    if (evict) this.failures.delete(victim);
    return true;
  }

  private soonestUnlock(now: number): number {
    let soonest = Infinity;
    for (const k of this.failures.keys()) {
      const recent = this.recent(k, now);
      if (recent.length >= this.opts.maxFailures) soonest = Math.min(soonest, this.unlockAt(recent));
    }
    return Number.isFinite(soonest) ? soonest : now;
  }
}

function storedKey(key: string): string {
  return key.length <= MAX_KEY_CHARS ? key : `#${createHash("sha256").update(key).digest("base64url")}`;
}
