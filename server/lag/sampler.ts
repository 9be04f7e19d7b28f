import "server-only";
/**
 * The lag sampler: every FLOWTAP_LAG_INTERVAL_S it lists consumer groups, their members and
 * committed offsets, reads each topic's end offsets once, and stores per-partition samples,
 * the group's state and status, and rebalance/status-change markers. Seconds behind come from
 * the indexed timestamp of each group's first unread record where the index holds it
 * (first-unread.ts), else from the end-offset history (time-lag.ts).
 *
 * When it runs: beside the tap (web server or `npm run tap`). With several taps, a lease in
 * the store lets one of them sample per tick.
 * Guarantees: calls are bounded and each has a deadline; a call that fails costs only the
 * figures that depended on it (fetch-tick.ts), so one unreachable coordinator, group or topic
 * does not drop the tick for the others. Only when nothing at all can be read is the tick
 * skipped; the stored figures then age, and the lag API and /metrics say how old they are.
 * Nothing is invented: no commit is "no commit", a missing topic is ERR with its reason.
 */
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Config } from "../config";
import type { Store } from "../db/client";
import { createGroupAdmin, type GroupAdmin } from "../kafka/groups";
import type { KafkaSettings } from "../kafka/client";
import { computeTick, emptyMemory, type TickOutput } from "./compute-tick";
import { fetchTick } from "./fetch-tick";
import { readFirstUnread } from "./first-unread";
import { firstUnreadLookups } from "./first-unread-plan";
import { storeTick } from "./store-tick";

export interface LagSampler {
  tick(): Promise<TickOutput | null>;
  stop(): Promise<void>;
}

async function holdLease(store: Store, holder: string, ttlMs: number): Promise<boolean> {
  const rows = await store.rows<{ holder: string }>(sql`
    INSERT INTO leases (name, holder, until) VALUES ('lag-sampler', ${holder}, now() + make_interval(secs => ${ttlMs / 1000}))
    ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until = excluded.until
      WHERE leases.until < now() OR leases.holder = excluded.holder
    RETURNING holder`);
  return rows[0]?.holder === holder;
}

export interface SamplerOptions {
  /** How the admin client is made; tests wrap the real one to make one call fail. */
  createAdmin?: (settings: KafkaSettings) => Promise<GroupAdmin>;
}

export function startLagSampler(config: Config, s: Store, log: (line: string) => void, opts: SamplerOptions = {}): LagSampler {
  const holder = randomUUID();
  const memory = emptyMemory();
  const makeAdmin = opts.createAdmin ?? createGroupAdmin;
  let admin: GroupAdmin | null = null;
  let lastError: string | null = null;
  /** Group ids sampled last tick: sampled again when listing fails or leaves them out. */
  let known: string[] | null = null;

  const tick = async (): Promise<TickOutput | null> => {
    try {
      if (!(await holdLease(s, holder, config.lagIntervalMs * 3))) return null;
      admin ??= await makeAdmin(config.kafka);
      const { groups, ends, ids, listed } = await fetchTick(admin, config, known);
      known = ids;
      // Seconds behind from the index where it holds the first unread record; a failed read costs
      // only that precision (interpolation), not the tick.
      const firstUnread = await readFirstUnread(s, firstUnreadLookups(groups, ends)).catch(() => new Map<string, number>());
      const now = Date.now();
      const out = computeTick({ now, groups, ends, firstUnread }, memory, config.lagIntervalMs);
      await storeTick(s, out, new Date(now).toISOString());
      const failed = groups.filter((g) => g.error !== null).map((g) => g.groupId);
      const partial = listed ? (failed.length ? `${failed.length} group(s) not read: ${failed.slice(0, 3).join(", ")}` : null) : "listing groups failed; sampled the groups known";
      if (partial !== lastError) log(partial ? `lag sampler: ${partial}` : "lag sampler: sampling again");
      lastError = partial;
      return out;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (message !== lastError) log(`lag sampler: tick failed, will retry: ${message}`);
      lastError = message;
      await admin?.close().catch(() => {});
      admin = null;
      return null;
    }
  };

  // One tick at a time: a tick that overruns the interval makes the timer skip, not pile up.
  let running: Promise<TickOutput | null> = tick();
  let busy = true;
  void running.finally(() => (busy = false));
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    running = tick().finally(() => (busy = false));
  }, config.lagIntervalMs);
  return {
    tick: () => (running = running.then(tick)),
    stop: async () => {
      clearInterval(timer);
      await Promise.race([running, new Promise((r) => setTimeout(r, 5_000))]);
      await admin?.close().catch(() => {});
    },
  };
}
