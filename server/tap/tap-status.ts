import "server-only";
// Each tap writes its state to tap_instances every few seconds; any web server reads the
// sum, so health is right whether the tap runs in-process or as `npm run tap` elsewhere.
import { sql } from "drizzle-orm";
import type { Store } from "../db/client";

export interface TapState {
  instanceId: string;
  host: string;
  startedAt: string;
  state: "starting" | "running" | "idle" | "store-unavailable" | "kafka-unavailable" | "stopped";
  topics: string[];
  partitions: Array<{ topic: string; partition: number }>;
  indexed: number;
  lastIndexedAt: string | null;
  lastError: string | null;
}

export interface TapStatus {
  running: boolean;
  instances: number;
  partitions: number;
  indexed: number;
  lastIndexedAt: string | null;
  /** Records in the index, across all taps and time. */
  totalIndexed: number;
  indexedSince: string | null;
  errors: string[];
}

/** A tap whose heartbeat is older than this is taken as gone. */
const ALIVE_WITHIN_S = 30;

export async function recordHeartbeat(store: Store, s: TapState): Promise<void> {
  await store.rows(sql`
    INSERT INTO tap_instances (instance_id, host, started_at, heartbeat_at, partitions, topics, indexed, last_indexed_at, last_error, state)
    VALUES (${s.instanceId}, ${s.host}, ${s.startedAt}, now(), ${s.partitions.length}, ${JSON.stringify(s.topics)}::jsonb,
            ${s.indexed}, ${s.lastIndexedAt}, ${s.lastError}, ${s.state})
    ON CONFLICT (instance_id) DO UPDATE SET heartbeat_at = now(), partitions = excluded.partitions,
      topics = excluded.topics, indexed = excluded.indexed, last_indexed_at = excluded.last_indexed_at,
      last_error = excluded.last_error, state = excluded.state
  `);
  // Instances that stopped long ago are history, not status.
  await store.rows(sql`DELETE FROM tap_instances WHERE heartbeat_at < now() - interval '1 day'`);
}

export async function readTapStatus(store: Store): Promise<TapStatus> {
  const [live] = await store.rows<{
    instances: number;
    partitions: number | null;
    indexed: number | null;
    last_indexed_at: string | null;
    errors: string[] | null;
  }>(sql`
    SELECT count(*)::int AS instances, sum(partitions)::int AS partitions, sum(indexed)::bigint::float8 AS indexed,
           max(last_indexed_at)::text AS last_indexed_at,
           array_agg(last_error) FILTER (WHERE last_error IS NOT NULL) AS errors
    FROM tap_instances
    WHERE state <> 'stopped' AND heartbeat_at > now() - make_interval(secs => ${ALIVE_WITHIN_S})
  `);
  // Planner statistics answer "how many" for a large index without counting every row.
  const [total] = await store.rows<{ total: number | null; since: string | null }>(sql`
    WITH est AS (SELECT reltuples FROM pg_class WHERE relname = 'events' AND relkind IN ('r', 'p'))
    SELECT CASE WHEN coalesce((SELECT reltuples FROM est), -1) < 100000
                THEN (SELECT count(*) FROM events)::float8
                ELSE (SELECT reltuples FROM est)::float8 END AS total,
           (SELECT min(indexed_at)::text FROM events) AS since
  `);
  const instances = live?.instances ?? 0;
  return {
    running: instances > 0,
    instances,
    partitions: live?.partitions ?? 0,
    indexed: live?.indexed ?? 0,
    lastIndexedAt: live?.last_indexed_at ? new Date(live.last_indexed_at).toISOString() : null,
    totalIndexed: Math.round(total?.total ?? 0),
    indexedSince: total?.since ? new Date(total.since).toISOString() : null,
    errors: live?.errors ?? [],
  };
}
