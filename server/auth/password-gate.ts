import "server-only";
// What keeps password checks from starving the server. scrypt takes ~25-50 ms of a libuv
// thread and 16 MiB; the thread pool (4 threads) is shared with DNS lookups and file I/O, so a
// flood of wrong passwords would slow every request. Two defences:
// - a global limit: at most MAX_ACTIVE scrypts at once and MAX_WAITING queued; beyond that a
//   check is refused at once (the caller answers 503) instead of piling up;
// - a short-lived cache of verified credentials, so a script sending HTTP Basic on every call
//   pays for scrypt once a minute, not on every request.
import { createHmac, randomBytes } from "node:crypto";

const MAX_ACTIVE = 2;
/** Enough for a burst of honest sign-ins; beyond it the work is refused, not queued. */
const MAX_WAITING = 16;
const CACHE_TTL_MS = 60_000;
const CACHE_MAX = 1_000;

export class PasswordGateBusy extends Error {
  constructor() {
    super("too many password checks at once; try again in a moment");
  }
}

interface State {
  active: number;
  waiting: Array<() => void>;
  /** `running` and `peak` are counted around the work itself, apart from the slot bookkeeping. */
  stats: { started: number; running: number; peak: number; refused: number };
  /** HMAC(processKey, name NUL password) → the hash it was verified against, until when. */
  verified: Map<string, { passwordHash: string; until: number }>;
  processKey: Buffer;
}

// One per process, on globalThis because Next.js bundles each route apart.
const state: State = ((globalThis as { __flowtapPasswordGate?: State }).__flowtapPasswordGate ??= {
  active: 0,
  waiting: [],
  stats: { started: 0, running: 0, peak: 0, refused: 0 },
  verified: new Map(),
  // The cache never holds a password, nor a hash that could be attacked offline without this key.
  processKey: randomBytes(32),
});

/** Counters, for tests and for a look at a running server. */
export function hashingStats(): Readonly<State["stats"]> {
  return { ...state.stats };
}

/** Runs `fn` (a password hashing) within the global limit; throws PasswordGateBusy when full. */
export async function withHashingSlot<T>(fn: () => Promise<T>): Promise<T> {
  if (state.active >= MAX_ACTIVE) {
    if (state.waiting.length >= MAX_WAITING) {
      state.stats.refused++;
      throw new PasswordGateBusy();
    }
    await new Promise<void>((resolve) => state.waiting.push(resolve));
  } else {
    state.active++;
  }
  // Here this call holds a slot: taken above, or handed over by release() below.
  state.stats.started++;
  state.stats.peak = Math.max(state.stats.peak, ++state.stats.running);
  try {
    return await fn();
  } finally {
    state.stats.running--;
    const next = state.waiting.shift();
    if (next) next(); // hand the slot over: active stays the same
    else state.active--;
  }
}

const cacheKey = (name: string, password: string) => createHmac("sha256", state.processKey).update(`${name}\0${password}`).digest("base64url");

/**
 * True when `name`/`password` was verified in the last minute against `passwordHash`, the hash
 * the users file holds now: a changed password or a removed user never hits.
 */
export function recentlyVerified(name: string, password: string, passwordHash: string, now: number): boolean {
  const key = cacheKey(name, password);
  const hit = state.verified.get(key);
  if (!hit) return false;
  if (hit.until <= now || hit.passwordHash !== passwordHash) {
    state.verified.delete(key);
    return false;
  }
  return true;
}

export function rememberVerified(name: string, password: string, passwordHash: string, now: number): void {
  const key = cacheKey(name, password);
  state.verified.delete(key);
  state.verified.set(key, { passwordHash, until: now + CACHE_TTL_MS });
  // Insertion order is expiry order (same TTL for all): the first is the oldest.
  while (state.verified.size > CACHE_MAX) state.verified.delete(state.verified.keys().next().value!);
}
