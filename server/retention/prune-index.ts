import "server-only";
/**
 * Retention: removes what the store holds past FLOWTAP_RETENTION_DAYS, in every table that grows.
 *
 * What it does: deletes, in bounded statements (batched-delete.ts), events indexed before the
 * cutoff, flows with no activity since, audit entries, settled replays, lag history, quarantine
 * entries, and tap heartbeats of taps stopped for a day. On PGlite it then runs ANALYZE, which
 * nothing else would (no autovacuum there): the health count reads pg_class.reltuples.
 * When it runs: with the tap, once at start and then every hour; several taps running it at
 * once is harmless (deletes are idempotent).
 * Guarantee: it never touches rows newer than the cutoff, nor a replay still pending (its
 * outcome is not known yet). A flow that straddles the cutoff keeps its summary row until its
 * last activity ages out too.
 */
import { sql } from "drizzle-orm";
import type { Store } from "../db/client";
import { describeStoreError } from "../db/errors";
import { pruneEvents } from "../topics/prune-events";
import { deleteByBlocks, deleteByTime } from "./batched-delete";
import { FLOWMAP_TABLES, pruneFlowmap } from "../flowmap/prune";

export const RETENTION_EVERY_MS = 60 * 60 * 1000;
/** A tap whose heartbeat is this old stopped long ago: history, not status. */
const TAP_GONE_MS = 86_400_000;

export interface PruneResult {
  events: number;
  flows: number;
  auditLog: number;
  replays: number;
  lagEvents: number;
  lagSamples: number;
  offsetSamples: number;
  lagRollups: number;
  tapQuarantine: number;
  tapInstances: number;
  /** Flow-map rows of grain 60 and 3600 (grain 0 is all time, kept). */
  flowmapRows: number;
  flowmapMembers: number;
}

/** The tables retention deletes from: the ones ANALYZE keeps estimates for on PGlite. */
const GROWING = ["events", "flows", "audit_log", "replays", "lag_events", "lag_samples", "offset_samples", "lag_rollups", "tap_quarantine", "tap_instances", ...FLOWMAP_TABLES];

export async function pruneIndex(store: Store, cutoff: Date, now = new Date()): Promise<PruneResult> {
  const at = cutoff.toISOString();
  const tapGone = new Date(now.getTime() - TAP_GONE_MS).toISOString();
  // Before, too: without statistics PGlite's planner guessed ~1,100 old rows and sorted every
  // remaining one for each batch (a bitmap scan, not the index), 3.1 s for 300k events.
  if (store.kind === "pglite") await analyze(store);
  const result: PruneResult = {
    // Tables with a btree led by their time column walk it by windows.
    // Also keeps the topic browser's per-partition counters (topic_partitions) true.
    events: await pruneEvents(store, cutoff),
    flows: await deleteByTime(store, "flows", "last_seen", cutoff, sql`updated_at < ${at}::timestamptz`),
    // After flows: a members row goes only with its flows row.
    ...(await pruneFlowmap(store, cutoff)),
    auditLog: await deleteByTime(store, "audit_log", "at", cutoff),
    lagSamples: await deleteByTime(store, "lag_samples", "t", cutoff),
    offsetSamples: await deleteByTime(store, "offset_samples", "t", cutoff),
    lagRollups: await deleteByTime(store, "lag_rollups", "bucket", cutoff),
    tapQuarantine: await deleteByTime(store, "tap_quarantine", "quarantined_at", cutoff),
    // No such index (lag_events is led by group_id; replays and tap_instances have none on
    // time): these small tables walk the heap by block ranges instead.
    replays: await deleteByBlocks(store, "replays", sql`status <> 'pending' AND settled_at < ${at}::timestamptz`),
    lagEvents: await deleteByBlocks(store, "lag_events", sql`t < ${at}::timestamptz`),
    tapInstances: await deleteByBlocks(store, "tap_instances", sql`heartbeat_at < ${tapGone}::timestamptz`),
  };
  if (store.kind === "pglite") await analyze(store);
  return result;
}

/**
 * Refreshes planner statistics (pg_class.reltuples) on PGlite, where no autovacuum does. ANALYZE
 * samples at most 30,000 rows a table whatever its size, so it stays bounded as the index grows.
 */
export async function analyze(store: Store): Promise<void> {
  await store.rows(sql`ANALYZE ${sql.join(GROWING.map((t) => sql.identifier(t)), sql`, `)}`);
}

/** Runs pruneIndex now and every hour; returns a stop function. */
export function startRetention(store: Store, days: number, log: (line: string) => void): () => void {
  const run = async () => {
    try {
      const r = await pruneIndex(store, new Date(Date.now() - days * 86_400_000));
      const removed = Object.entries(r).filter(([, n]) => n > 0);
      if (removed.length) log(`retention: removed ${removed.map(([t, n]) => `${n} ${t}`).join(", ")} (older than ${days} days)`);
    } catch (err) {
      log(`retention: failed, will retry next hour: ${describeStoreError(err)}`);
    }
  };
  void run();
  const timer = setInterval(() => void run(), RETENTION_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
