import "server-only";
// The replay ledger's SQL. A record is claimed by inserting its next attempt as "pending";
// the unique (record, attempt) index lets only one of two concurrent claims win. A new
// attempt is allowed when the record was never replayed, when its last attempt failed,
// or when the operator forces it.
import { sql } from "drizzle-orm";
import type { Store } from "../db/client";
import { isoTs } from "../db/sql";

export interface Claim {
  replayId: string;
  topic: string;
  partition: number;
  offset: string;
  targetTopic: string;
  targetPartition: number;
  targetFloor: string;
  cycle: number;
}

export type LedgerRow = {
  replay_id: string;
  dlq_topic: string;
  dlq_partition: number;
  dlq_offset: string;
  attempt: number;
  /** unknown: reconciliation could not tell whether the copy was written (it may have been removed); a new attempt needs force. */
  status: "pending" | "replayed" | "failed" | "unknown";
  target_topic: string | null;
  target_partition: number | null;
  target_offset: string | null;
  target_floor: string | null;
  requested_at: string;
  error: string | null;
};

const LEDGER_COLUMNS = sql`replay_id, dlq_topic, dlq_partition, dlq_offset::text AS dlq_offset, attempt, status,
  target_topic, target_partition, target_offset::text AS target_offset, target_floor::text AS target_floor,
  ${isoTs(sql`requested_at`)} AS requested_at, error`;

/** Claims what may be claimed; returns the replay ids that won. */
export async function claimReplays(store: Store, claims: Claim[], opts: { force: boolean; actor: string }): Promise<Set<string>> {
  if (claims.length === 0) return new Set();
  const json = JSON.stringify(claims);
  const rows = await store.rows<{ replay_id: string }>(sql`
    WITH req AS (
      SELECT * FROM json_to_recordset(${json}::json) AS x("replayId" text, topic text, partition int, "offset" bigint,
        "targetTopic" text, "targetPartition" int, "targetFloor" bigint, cycle int)
    ),
    cur AS (
      SELECT r.dlq_topic, r.dlq_partition, r.dlq_offset, max(r.attempt) AS attempt,
             (array_agg(r.status ORDER BY r.attempt DESC))[1] AS status
      FROM replays r JOIN req ON r.dlq_topic = req.topic AND r.dlq_partition = req.partition AND r.dlq_offset = req."offset"
      GROUP BY 1, 2, 3
    )
    INSERT INTO replays (replay_id, dlq_topic, dlq_partition, dlq_offset, attempt, status, forced, target_topic,
                         target_partition, target_floor, cycle, requested_by)
    SELECT req."replayId", req.topic, req.partition, req."offset", coalesce(cur.attempt, 0) + 1, 'pending', ${opts.force},
           req."targetTopic", req."targetPartition", req."targetFloor", req.cycle, ${opts.actor}
    FROM req LEFT JOIN cur ON cur.dlq_topic = req.topic AND cur.dlq_partition = req.partition AND cur.dlq_offset = req."offset"
    WHERE cur.attempt IS NULL OR cur.status = 'failed' OR ${opts.force}
    ORDER BY req.topic, req.partition, req."offset"
    ON CONFLICT (dlq_topic, dlq_partition, dlq_offset, attempt) DO NOTHING
    RETURNING replay_id`);
  return new Set(rows.map((r) => r.replay_id));
}

/** The latest ledger row of each given record. */
export async function latestReplays(store: Store, refs: Array<{ topic: string; partition: number; offset: string }>): Promise<Map<string, LedgerRow>> {
  if (refs.length === 0) return new Map();
  const json = JSON.stringify(refs);
  const rows = await store.rows<LedgerRow>(sql`
    SELECT DISTINCT ON (r.dlq_topic, r.dlq_partition, r.dlq_offset) ${LEDGER_COLUMNS}
    FROM replays r JOIN json_to_recordset(${json}::json) AS x(topic text, partition int, "offset" bigint)
      ON r.dlq_topic = x.topic AND r.dlq_partition = x.partition AND r.dlq_offset = x."offset"
    ORDER BY r.dlq_topic, r.dlq_partition, r.dlq_offset, r.attempt DESC`);
  return new Map(rows.map((r) => [`${r.dlq_topic}/${r.dlq_partition}/${r.dlq_offset}`, r]));
}

export async function settleReplayed(store: Store, done: Array<{ replayId: string; targetOffset: string }>): Promise<void> {
  if (done.length === 0) return;
  await store.rows(sql`
    UPDATE replays r SET status = 'replayed', target_offset = x."targetOffset", settled_at = now(), error = NULL
    FROM json_to_recordset(${JSON.stringify(done)}::json) AS x("replayId" text, "targetOffset" bigint)
    WHERE r.replay_id = x."replayId" AND r.status = 'pending'`);
}

/** Settles pending claims as `failed` (not sent: safe to retry) or `unknown` (the copy may have been removed: needs force). */
export async function settleWithError(store: Store, status: "failed" | "unknown", rows: Array<{ replayId: string; error: string }>): Promise<void> {
  if (rows.length === 0) return;
  await store.rows(sql`
    UPDATE replays r SET status = ${status}, settled_at = now(), error = x.error
    FROM json_to_recordset(${JSON.stringify(rows)}::json) AS x("replayId" text, error text)
    WHERE r.replay_id = x."replayId" AND r.status = 'pending'`);
}

/** A slice of the target found no copy below `floor`: the next reconciliation resumes there. */
export async function advanceFloors(store: Store, floors: Array<{ replayId: string; floor: string }>): Promise<void> {
  if (floors.length === 0) return;
  await store.rows(sql`
    UPDATE replays r SET target_floor = greatest(r.target_floor, x.floor)
    FROM json_to_recordset(${JSON.stringify(floors)}::json) AS x("replayId" text, floor bigint)
    WHERE r.replay_id = x."replayId" AND r.status = 'pending'`);
}

/** Pending rows claimed before `before`: replays a crash (or a lost acknowledgement) left unsettled. */
export async function pendingReplays(store: Store, before: Date, ids?: string[]): Promise<LedgerRow[]> {
  return store.rows<LedgerRow>(sql`
    SELECT ${LEDGER_COLUMNS} FROM replays
    WHERE status = 'pending' AND requested_at < ${before.toISOString()}::timestamptz
    ${ids ? sql`AND replay_id IN (SELECT json_array_elements_text(${JSON.stringify(ids)}::json))` : sql``}
    ORDER BY requested_at LIMIT 20000`);
}

export async function writeAudit(store: Store, entry: { actor: string; action: string; outcome: string; detail: unknown }): Promise<void> {
  await store.rows(sql`
    INSERT INTO audit_log (actor, action, outcome, detail)
    VALUES (${entry.actor}, ${entry.action}, ${entry.outcome}, ${JSON.stringify(entry.detail)}::jsonb)`);
}
