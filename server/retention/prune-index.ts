import "server-only";
/**
 * Retention: removes what the index holds past FLOWTAP_RETENTION_DAYS.
 *
 * What it does: deletes events indexed before the cutoff in batches of BATCH rows (each a
 * short transaction, so the tap's inserts never wait long), then flows with no activity since
 * the cutoff, tap heartbeats, and lag samples.
 * When it runs: with the tap, once at start and then every hour; several taps running it at
 * once is harmless (deletes are idempotent).
 * Guarantee: it never touches records indexed after the cutoff. A flow that straddles the
 * cutoff keeps its summary row until its last activity ages out too.
 */
import { sql } from "drizzle-orm";
import type { Store } from "../db/client";

const BATCH = 10_000;
export const RETENTION_EVERY_MS = 60 * 60 * 1000;

export interface PruneResult {
  events: number;
  flows: number;
  samples: number;
}

export async function pruneIndex(store: Store, cutoff: Date): Promise<PruneResult> {
  const at = cutoff.toISOString();
  let events = 0;
  for (;;) {
    const [r] = await store.rows<{ n: number }>(sql`
      WITH doomed AS (
        SELECT topic, partition, "offset" FROM events WHERE indexed_at < ${at}::timestamptz LIMIT ${BATCH}
      ), gone AS (
        DELETE FROM events e USING doomed d
        WHERE e.topic = d.topic AND e.partition = d.partition AND e."offset" = d."offset"
        RETURNING 1
      )
      SELECT count(*)::int AS n FROM gone`);
    events += r?.n ?? 0;
    if ((r?.n ?? 0) < BATCH) break;
  }
  const [f] = await store.rows<{ n: number }>(sql`
    WITH gone AS (DELETE FROM flows WHERE last_seen < ${at}::timestamptz AND updated_at < ${at}::timestamptz RETURNING 1)
    SELECT count(*)::int AS n FROM gone`);
  const [s] = await store.rows<{ n: number }>(sql`
    WITH a AS (DELETE FROM lag_samples WHERE t < ${at}::timestamptz RETURNING 1),
         b AS (DELETE FROM offset_samples WHERE t < ${at}::timestamptz RETURNING 1),
         c AS (DELETE FROM lag_rollups WHERE bucket < ${at}::timestamptz RETURNING 1),
         d AS (DELETE FROM lag_events WHERE t < ${at}::timestamptz RETURNING 1)
    SELECT ((SELECT count(*) FROM a) + (SELECT count(*) FROM b) + (SELECT count(*) FROM c) + (SELECT count(*) FROM d))::int AS n`);
  return { events, flows: f?.n ?? 0, samples: s?.n ?? 0 };
}

/** Runs pruneIndex now and every hour; returns a stop function. */
export function startRetention(store: Store, days: number, log: (line: string) => void): () => void {
  const run = async () => {
    try {
      const r = await pruneIndex(store, new Date(Date.now() - days * 86_400_000));
      if (r.events || r.flows) log(`retention: removed ${r.events} events and ${r.flows} flows older than ${days} days`);
    } catch (err) {
      log(`retention: failed, will retry next hour: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  void run();
  const timer = setInterval(() => void run(), RETENTION_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
