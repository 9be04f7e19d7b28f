import "server-only";
// Each tap writes its state to tap_instances every few seconds; any web server reads the
// sum, so health is right whether the tap runs in-process or as `npm run tap` elsewhere.
import { sql } from "drizzle-orm";
import type { Store } from "../db/client";
import type { FlowmapLag } from "../flowmap/pass";

export interface TapState {
  instanceId: string;
  host: string;
  startedAt: string;
  state: "starting" | "running" | "idle" | "stalled" | "store-unavailable" | "kafka-unavailable" | "stopped";
  topics: string[];
  partitions: Array<{ topic: string; partition: number }>;
  indexed: number;
  lastIndexedAt: string | null;
  /** Safe to show: a state and counts, never a statement, its parameters or a payload. */
  lastError: string | null;
  /** Records stored with anomalies / quarantined by this process. */
  degraded: number;
  quarantined: number;
  /** Records waiting on this tap's partitions at pendingCheckedAt; null before the first check. */
  pending: number | null;
  pendingCheckedAt: string | null;
  /** When a batch last finished: "stalled" is measured from here. */
  lastProgressAt: string;
  /**
   * The flow map's lag behind the index (server/flowmap/pass.ts): queue rows, since when, last pass.
   * Null with FLOWTAP_FLOWMAP=off. In memory only (tap_instances has no column for it): a web server
   * elsewhere can count flowmap_pending itself. A lagging map does not make health not ok: the map is
   * late, not wrong, and the index (what health guards) is unaffected.
   */
  flowmap: FlowmapLag | null;
}

export interface TapStatus {
  running: boolean;
  /** Each live tap's state ("running", "stalled", "store-unavailable", …), worst first. */
  states: string[];
  /** A live tap has records waiting and has indexed nothing for FLOWTAP_STALL_AFTER_S, or cannot write. */
  stalled: boolean;
  /** Records waiting on the live taps' partitions, as they last measured; null when unknown. */
  pending: number | null;
  /** Records in the index stored in a changed form, and records the store refused (kept in Kafka). */
  degraded: number;
  quarantined: number;
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
    INSERT INTO tap_instances (instance_id, host, started_at, heartbeat_at, partitions, topics, indexed, last_indexed_at,
                               last_error, state, group_lag, lag_checked_at, last_progress_at)
    VALUES (${s.instanceId}, ${s.host}, ${s.startedAt}, now(), ${s.partitions.length}, ${JSON.stringify(s.topics)}::jsonb,
            ${s.indexed}, ${s.lastIndexedAt}, ${s.lastError}, ${s.state}, ${s.pending}, ${s.pendingCheckedAt}, ${s.lastProgressAt})
    ON CONFLICT (instance_id) DO UPDATE SET heartbeat_at = now(), partitions = excluded.partitions,
      topics = excluded.topics, indexed = excluded.indexed, last_indexed_at = excluded.last_indexed_at,
      last_error = excluded.last_error, state = excluded.state, group_lag = excluded.group_lag,
      lag_checked_at = excluded.lag_checked_at, last_progress_at = excluded.last_progress_at
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
    states: string[] | null;
    pending: number | null;
  }>(sql`
    SELECT count(*)::int AS instances, sum(partitions)::int AS partitions, sum(indexed)::bigint::float8 AS indexed,
           max(last_indexed_at)::text AS last_indexed_at,
           array_agg(last_error) FILTER (WHERE last_error IS NOT NULL) AS errors,
           array_agg(state ORDER BY state = 'running', state) AS states,
           sum(group_lag)::float8 AS pending
    FROM tap_instances
    WHERE state <> 'stopped' AND heartbeat_at > now() - make_interval(secs => ${ALIVE_WITHIN_S})
  `);
  // Both use small tables or a partial index: cheap at any index size.
  const [bad] = await store.rows<{ degraded: number; quarantined: number }>(sql`
    SELECT (SELECT count(*) FROM events WHERE anomalies IS NOT NULL)::float8 AS degraded,
           (SELECT count(*) FROM tap_quarantine)::float8 AS quarantined
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
  const states = live?.states ?? [];
  return {
    running: instances > 0,
    states,
    stalled: states.some((st) => st === "stalled" || st === "store-unavailable"),
    pending: live?.pending ?? null,
    degraded: bad?.degraded ?? 0,
    quarantined: bad?.quarantined ?? 0,
    instances,
    partitions: live?.partitions ?? 0,
    indexed: live?.indexed ?? 0,
    lastIndexedAt: live?.last_indexed_at ? new Date(live.last_indexed_at).toISOString() : null,
    totalIndexed: Math.round(total?.total ?? 0),
    indexedSince: total?.since ? new Date(total.since).toISOString() : null,
    errors: live?.errors ?? [],
  };
}
