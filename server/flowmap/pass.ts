import "server-only";
/**
 * The flow-map pass: folds the events queued in flowmap_pending into the aggregates.
 *
 * One pass is one transaction at REPEATABLE READ:
 *   1. pg_try_advisory_xact_lock(FLOWMAP_PASS_LOCK): one pass at a time per database (another
 *      tap's pass holds it: this round is skipped);
 *   2. up to `maxFlows` correlation IDs from the queue, after a cursor that goes round, with their
 *      queue-row counts;
 *   3. their events, each marked pending or not (read-touched.ts): before = events minus pending,
 *      after = all; the delta and members rows go in as the tap's chunk wrote them before (sync-flows.ts,
 *      with its per-flow isolation of data errors);
 *   4. those flows' queue rows deleted.
 * Why one snapshot: every statement must see the same set of events and queue rows. Under READ
 * COMMITTED, an event committed after step 3 read its flow but before step 4 would have its queue
 * row deleted without ever being folded in (tests/integration/flowmap-pass.test.ts stages exactly
 * that). At REPEATABLE READ the DELETE of step 4 sees only the rows of the snapshot: the new row
 * stays for the next pass. The tap's inserts and the pass's writes touch different rows (the tap:
 * events, flows, topic_partitions, new queue rows; the pass: members, aggregates, old queue rows),
 * so they do not conflict; 40001 comes only from a displacement (write-flowmap.ts) or retention
 * deleting members, and the pass is then retried on a fresh snapshot.
 *
 * Cost: a flow is recomputed once per pass that finds it dirty, not once per chunk that touched it.
 * With the pass lagging the tap by a second or more, most flows of the benchmark (10 events over
 * 12 topics) are folded once or twice in their life instead of ~10 times.
 */
import { sql } from "drizzle-orm";
import type { Store } from "../db/client";
import { describeStoreError, storeErrorCode } from "../db/errors";
import type { FlowmapOptions } from "./options";
import { NO_OUTCOME, syncFlows, type FlowmapOutcome } from "./sync-flows";
import { inTransaction } from "./transaction";
import { reconcileFlowmapSettings } from "./settings";
import { FLOWMAP_PASS_LOCK } from "./write-flowmap";
import { queueVacuum } from "./vacuum";
import { pendingRows } from "./queued";

/**
 * Flows a pass folds at most: bounds its transaction (1,000 flows × ~10 events read, ≈ 0.1–0.3 s)
 * and its memory. PGlite's WASM memory keeps its high-water mark, so it folds fewer at a time: at
 * 1,000 the PGlite tap's peak RSS went from 372 to 408 MB over 1M records (BENCH_ONLY=tap).
 */
export const PASS_FLOWS = { postgres: 1000, pglite: 250 } as const;
/** How often the pass looks for work. */
export const PASS_EVERY_MS = 1000;
/**
 * "Busy" is the tap catching up a backlog (server/tap/tap.ts decides: records waiting in Kafka and
 * batches still landing). Then the index comes first: one pass every BUSY_PASS_EVERY_MS (≤
 * PASS_FLOWS flows), so the map still moves; back to back only once the queue holds
 * BUSY_BACKLOG_ROWS (≈ 37 s of the tap at 27k records/s), so the map's lag stays bounded under
 * sustained overload (the tap slows down instead). A tap keeping up with live traffic is not busy:
 * its passes run every PASS_EVERY_MS. Why yield at all: the pass shares the store's CPU with the
 * tap, and a flow folded while its events still arrive is folded again later. Measured, tap →
 * PostgreSQL with the map against without it, same run, 2 shared cores: 100k records, passes back
 * to back 60 %, one a second 77 %, none 97 %; 1M records (BENCH_ONLY=tap), one pass every 2 s and
 * the queue counted every second 79 %, every 5 s and counted every 10 s 83 %. All of those had the
 * passes back to back for the first 10 s of the catch-up (the backlog was not counted yet); counted
 * at the first batch (server/tap/tap.ts), one pass every 15 s: 94–95 %.
 */
const BUSY_BACKLOG_ROWS = 1_000_000;
const BUSY_PASS_EVERY_MS = 15_000;
/**
 * While the tap is busy the queue is counted at most this often: counting it (capped at
 * BUSY_BACKLOG_ROWS) every second took ~5 % of the store's CPU at a 500k-row queue.
 */
const BUSY_COUNT_EVERY_MS = 10_000;

export interface PassResult {
  /** False: another pass held the lock; nothing was done. */
  ran: boolean;
  /** Flows picked from the queue (folded, frozen, refused or skipped over the cap). */
  flows: number;
  /** Queue rows this pass deleted. */
  rows: number;
  /** The last correlation ID picked (the next pass starts after it), null when the queue was read to its end. */
  cursor: string | null;
  outcome: FlowmapOutcome;
}

export interface PassOptions {
  maxFlows?: number;
  /** Start after this correlation ID (a pass goes round the queue, so no flow waits behind ever-new lower IDs). */
  after?: string | null;
  /** Tests only: READ COMMITTED, to show what the snapshot prevents. */
  isolation?: "repeatable read" | "read committed";
  /** Tests only: runs inside the pass between the fold and the queue delete (another connection writes then). */
  beforeDelete?: () => Promise<void>;
}

type Picked = { cid: string; n: number };

async function pick(tx: Store, after: string | null, limit: number): Promise<Picked[]> {
  // GROUP BY over flowmap_pending_flow_idx in order: stops after `limit` flows without reading the rest.
  return tx.rows<Picked>(sql`
    SELECT correlation_id AS cid, count(*)::int AS n FROM flowmap_pending
    WHERE ${after}::text IS NULL OR correlation_id > ${after}::text
    GROUP BY correlation_id ORDER BY correlation_id LIMIT ${limit}`);
}

/** One pass. Throws the store's errors (40001 included: the caller retries). */
export async function runFlowmapPass(store: Store, options: FlowmapOptions, terminalEvents: RegExp, o: PassOptions = {}): Promise<PassResult> {
  const limit = o.maxFlows ?? PASS_FLOWS[store.kind];
  const config = { flowTypes: options.flowTypes, terminalEvents, maxEvents: options.maxEvents };
  const result = await inTransaction(store, async (tx): Promise<PassResult> => {
    const [lock] = await tx.rows<{ ok: boolean }>(sql`SELECT pg_try_advisory_xact_lock(${FLOWMAP_PASS_LOCK}) AS ok`);
    if (!lock?.ok) return { ran: false, flows: 0, rows: 0, cursor: o.after ?? null, outcome: NO_OUTCOME };
    let picked = await pick(tx, o.after ?? null, limit);
    if (picked.length === 0 && o.after) picked = await pick(tx, null, limit);
    if (picked.length === 0) return { ran: true, flows: 0, rows: 0, cursor: null, outcome: NO_OUTCOME };
    const outcome = await syncFlows(tx, new Map(picked.map((p) => [p.cid, p.n])), config, "sync");
    await o.beforeDelete?.();
    // Exactly the rows of this snapshot: a row queued since (by a chunk committed after it) stays.
    await tx.rows(sql`
      DELETE FROM flowmap_pending WHERE correlation_id IN (SELECT json_array_elements_text(${JSON.stringify(picked.map((p) => p.cid))}::json))`);
    const rows = picked.reduce((sum, p) => sum + p.n, 0);
    return { ran: true, flows: picked.length, rows, cursor: picked.length === limit ? picked.at(-1)!.cid : null, outcome };
  }, o.isolation ?? "repeatable read");
  if (result.flows > 0) options.report?.(result.outcome);
  return result;
}

const RETRY_STATES = new Set(["40001", "40P01"]);

/** A pass, retried at once (up to 3 times) on a serialization failure or deadlock. */
export async function runPassRetrying(store: Store, options: FlowmapOptions, terminalEvents: RegExp, o: PassOptions = {}): Promise<PassResult> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await runFlowmapPass(store, options, terminalEvents, o);
    } catch (err) {
      if (attempt >= 3 || !RETRY_STATES.has(storeErrorCode(err) ?? "")) throw err;
    }
  }
}

/** Passes until the queue is empty (tests, and the benchmark's catch-up). Returns the flows picked. */
export async function drainFlowmap(store: Store, options: FlowmapOptions, terminalEvents: RegExp, o: PassOptions = {}): Promise<number> {
  let flows = 0;
  let after: string | null = null;
  for (let idle = 0; ;) {
    const r = await runPassRetrying(store, options, terminalEvents, { ...o, after });
    flows += r.flows;
    after = r.cursor;
    if (!r.ran) {
      if (++idle > 200) throw new Error("flow map: another pass holds the lock");
      await new Promise((res) => setTimeout(res, 50));
      continue;
    }
    if (r.flows === 0) return flows;
  }
}


export interface FlowmapLag {
  /** Events indexed but not yet on the map, at the last check; null before the first. */
  pending: number | null;
  /** Since when the queue has not been seen empty; null when the map is caught up. */
  behindSince: string | null;
  lastPassAt: string | null;
  lastError: string | null;
}

export interface FlowmapPasses {
  lag(): FlowmapLag;
  stop(): Promise<void>;
}

/** Logged when the map has been behind this long (once a minute after that). */
const BEHIND_LOG_S = 30;

/**
 * Runs passes beside the tap: every PASS_EVERY_MS, and back to back while a pass was full. What
 * ends a round: the queue read to its end, another tap's pass holding the lock, an error (logged
 * once, retried next tick), or stop(). Off (FLOWTAP_FLOWMAP=off): nothing runs.
 */
export function startFlowmapPasses(
  store: Store,
  options: FlowmapOptions,
  terminalEvents: RegExp,
  log: (line: string) => void,
  /** The tap wrote a batch very recently: passes then yield to it (see BUSY_BACKLOG_ROWS). */
  tapBusy: () => boolean = () => false,
  /** The tap reconciled the settings before it indexed anything (see startTap). */
  reconciledAtStart = false,
): FlowmapPasses {
  const lag: FlowmapLag = { pending: null, behindSince: null, lastPassAt: null, lastError: null };
  // Before any pass: the map must be for these settings (server/flowmap/settings.ts). Retried each
  // tick while the store is away; off, that is all there is to do.
  let reconciled = reconciledAtStart;
  const reconcile = async (): Promise<void> => {
    if (reconciled) return;
    await reconcileFlowmapSettings(store, options, terminalEvents, log);
    reconciled = true;
  };
  if (!options.enabled) {
    if (reconciled) return { lag: () => lag, stop: async () => {} };
    let trying = false;
    const offTimer = setInterval(() => {
      if (reconciled) return clearInterval(offTimer);
      if (trying) return;
      trying = true;
      reconcile()
        .catch((err: unknown) => {
          const message = describeStoreError(err);
          if (lag.lastError !== message) log(`flow map: cannot record that it is off, retrying: ${message}`);
          lag.lastError = message;
        })
        .finally(() => (trying = false));
    }, PASS_EVERY_MS);
    return { lag: () => lag, stop: async () => clearInterval(offTimer) };
  }
  let stopped = false;
  let cursor: string | null = null;
  let loggedBehindAt = 0;
  let running: Promise<void> = Promise.resolve();
  let busy = false;
  let lastPassStartedAt = 0;
  let countedAt = 0;
  const vacuum = queueVacuum(store);
  const recount = async (force: boolean): Promise<void> => {
    if (!force && Date.now() - countedAt < BUSY_COUNT_EVERY_MS) return;
    lag.pending = await pendingRows(store, BUSY_BACKLOG_ROWS);
    countedAt = Date.now();
  };

  const round = async (): Promise<void> => {
    try {
      await reconcile();
      // The tap is writing and the map is not far behind: one pass now and then, the store is the tap's.
      if (tapBusy()) await recount(false);
      const farBehind = (lag.pending ?? 0) >= BUSY_BACKLOG_ROWS;
      let passed = false;
      for (let n = 0; !stopped; n++) {
        const yieldToTap = tapBusy() && !farBehind && !(n === 0 && Date.now() - lastPassStartedAt >= BUSY_PASS_EVERY_MS);
        if (yieldToTap) break;
        lastPassStartedAt = Date.now();
        const r = await runPassRetrying(store, options, terminalEvents, { after: cursor });
        cursor = r.cursor;
        if (!r.ran) break;
        passed = true;
        await vacuum(r.rows);
        lag.lastPassAt = new Date().toISOString();
        if (r.outcome.refused > 0) log(`flow map: ${r.outcome.refused} flow(s) refused by the store for data reasons, taken off the map`);
        if (r.cursor === null) break;
        // Let the tap's callbacks run between passes.
        await new Promise((res) => setImmediate(res));
      }
      if (passed || lag.pending === null) await recount(!tapBusy() || lag.pending === null);
      if (lag.lastError) log("flow map: passes run again");
      lag.lastError = null;
    } catch (err) {
      const message = describeStoreError(err);
      if (lag.lastError !== message) log(`flow map: pass failed, retrying in ${PASS_EVERY_MS / 1000} s: ${message}`);
      lag.lastError = message;
    }
    if (lag.pending === 0) lag.behindSince = null;
    else if (lag.pending !== null) lag.behindSince ??= new Date().toISOString();
    const behindS = lag.behindSince ? (Date.now() - Date.parse(lag.behindSince)) / 1000 : 0;
    if (behindS > BEHIND_LOG_S && Date.now() - loggedBehindAt > 60_000) {
      loggedBehindAt = Date.now();
      log(`flow map: ${lag.pending ?? "?"} indexed event(s) not yet on the map; behind for ${Math.round(behindS)} s`);
    }
  };

  const timer = setInterval(() => {
    if (busy || stopped) return;
    busy = true;
    running = round().finally(() => (busy = false));
  }, PASS_EVERY_MS);
  return {
    lag: () => lag,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
