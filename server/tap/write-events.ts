import "server-only";
// One statement per chunk: insert the events (absorbing re-reads on the primary key) and
// fold only the rows actually inserted into their flows and their topic partitions' counters
// (server/topics/partition-counters.ts). Either all of it lands or none.
import { sql } from "drizzle-orm";
import type { Store } from "../db/client";
import type { ExtractedRecord } from "../extract/types";
import { inTransaction } from "../flowmap/transaction";
import { countInserted, settleExtent, uncountDeleted, type Touched } from "../topics/partition-counters";

/**
 * Rows per statement: keeps one statement's JSON parameter to a few MB even with capped 64 KiB
 * values. PGlite runs inside this process and its WASM memory only grows, never shrinks, so it
 * gets smaller statements: its high-water mark is what the process keeps.
 */
export const MAX_ROWS_PER_STATEMENT = { postgres: 1000, pglite: 250 } as const;

function toRow(r: ExtractedRecord, terminalEvents: RegExp) {
  const d = r.dlq;
  return {
    topic: r.topic,
    partition: r.partition,
    offset: r.offset,
    ts: r.timestamp,
    key: r.key,
    key_binary: r.keyBinary,
    correlation_id: r.correlationId,
    correlation_from_trace: r.correlationFromTrace,
    trace_id: r.traceId,
    causation_id: r.causationId,
    event_id: r.eventId,
    event_type: r.eventType,
    event_version: r.eventVersion,
    service: r.service,
    headers: r.headers,
    value_kind: r.valueKind,
    value_truncated: r.valueTruncated,
    size: r.size,
    tombstone: r.tombstone,
    is_dlq: r.isDlq,
    dlq_family: d?.family ?? null,
    dlq_source_topic: d?.sourceTopic ?? null,
    dlq_source_partition: d?.sourcePartition ?? null,
    dlq_source_offset: d?.sourceOffset ?? null,
    dlq_error_class: d?.errorClass ?? null,
    dlq_error_message: d?.errorMessage ?? null,
    dlq_stacktrace: d?.stacktrace ?? null,
    dlq_failed_group: d?.failedGroup ?? null,
    dlq_attempts: d?.attempts ?? null,
    anomalies: r.anomalies.length > 0 ? r.anomalies : null,
    encoding: r.encoding,
    decode_error: r.decodeError,
    terminal: r.eventType !== null && terminalEvents.test(r.eventType),
  };
}

const COLUMNS = sql.raw(`topic, partition, "offset", ts, key, key_binary, correlation_id, correlation_from_trace,
  trace_id, causation_id, event_id, event_type, event_version, service, headers, value_kind, value,
  value_truncated, size, tombstone, is_dlq, dlq_family, dlq_source_topic, dlq_source_partition,
  dlq_source_offset, dlq_error_class, dlq_error_message, dlq_stacktrace, dlq_failed_group, dlq_attempts, anomalies, encoding, decode_error`);

const RECORD_TYPE = sql.raw(`topic text, partition int, "offset" bigint, ts timestamptz, key text,
  key_binary boolean, correlation_id text, correlation_from_trace boolean, trace_id text, causation_id text,
  event_id text, event_type text, event_version text, service text, headers json, value_kind text,
  value json, value_truncated boolean, size int, tombstone boolean, is_dlq boolean, dlq_family text,
  dlq_source_topic text, dlq_source_partition int, dlq_source_offset bigint, dlq_error_class text,
  dlq_error_message text, dlq_stacktrace text, dlq_failed_group text, dlq_attempts int, anomalies json,
  encoding json, decode_error text, terminal boolean`);

/**
 * The chunk as one JSON array. Each payload goes in as the JSON text the extractor kept (for most
 * records the bytes as sent), so it is not serialised again here nor turned into jsonb there.
 */
function chunkJson(records: ExtractedRecord[], terminalEvents: RegExp): string {
  const rows = records.map((r) => {
    const row = JSON.stringify(toRow(r, terminalEvents));
    return `${row.slice(0, -1)},"value":${r.valueJson}}`;
  });
  return `[${rows.join(",")}]`;
}

export interface ChunkResult {
  inserted: number;
  /** Inserted rows that carry anomalies (stored in a changed form). */
  degraded: number;
}

/**
 * Rows of the chunk whose key is taken by a different record (other time, size or key): the
 * topic was deleted and re-created, its offsets started again at 0, and the new records must
 * replace the old generation's rows instead of being dropped by ON CONFLICT. A re-read of the
 * same record matches on all three and is never displaced.
 */
async function displaceOldGeneration(store: Store, json: string): Promise<number> {
  const rows = await store.rows<{ n: number; touched: Touched | null }>(sql`
    WITH batch AS (SELECT * FROM json_to_recordset(${json}::json) AS x(${RECORD_TYPE})),
    gone AS (
      DELETE FROM events e USING batch b
      WHERE e.topic = b.topic AND e.partition = b.partition AND e."offset" = b."offset"
        AND (e.ts <> b.ts OR e.size <> b.size OR e.key IS DISTINCT FROM b.key)
      RETURNING e.correlation_id, e.topic, e.partition
    ),
    uncounted AS (${uncountDeleted(sql`gone`)}),
    dec AS (
      UPDATE flows f SET events = greatest(0, f.events - g.n), updated_at = now()
      FROM (SELECT correlation_id, count(*) AS n FROM gone WHERE correlation_id IS NOT NULL GROUP BY 1 ORDER BY 1) g
      WHERE f.correlation_id = g.correlation_id
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM gone)::int AS n, (SELECT count(*) FROM dec)::int AS flows,
           (SELECT json_agg(json_build_object('topic', topic, 'partition', partition)) FROM uncounted) AS touched
  `);
  // The old rows were the partitions' oldest (or newest): read the extent again from what remains.
  if (rows[0]?.touched) await settleExtent(store, rows[0].touched);
  return rows[0]?.n ?? 0;
}

/**
 * With the flow map on, each event the statement actually inserted that has a correlation ID is
 * queued in flowmap_pending in the same statement, for the deferred pass (server/flowmap/pass.ts).
 * A re-read inserts no event, so it queues nothing; that is what keeps each event queued once (the
 * queue has no key of its own). Off: no queue row at all.
 */
const PENDING_ON = sql.raw(`,
    pend AS (
      INSERT INTO flowmap_pending (topic, partition, "offset", correlation_id)
      SELECT topic, partition, "offset", correlation_id FROM ins WHERE correlation_id IS NOT NULL
      RETURNING 1
    )`);

async function insertChunk(store: Store, json: string, pending: boolean): Promise<ChunkResult & { displaced: number }> {
  // Flows are upserted in correlation-id order so two taps writing the same flows cannot deadlock.
  const rows = await store.rows<ChunkResult & { displaced: number }>(sql`
    WITH batch AS (
      SELECT * FROM json_to_recordset(${json}::json) AS x(${RECORD_TYPE})
    ),
    ins AS (
      INSERT INTO events (${COLUMNS})
      SELECT ${COLUMNS} FROM batch
      ON CONFLICT DO NOTHING
      RETURNING topic, partition, "offset", correlation_id, ts, service, is_dlq, correlation_from_trace, anomalies IS NOT NULL AS degraded
    ),
    up AS (
      INSERT INTO flows AS f (correlation_id, first_seen, last_seen, events, services, has_dlq, completed, from_trace, updated_at)
      SELECT i.correlation_id, min(i.ts), max(i.ts), count(*),
             coalesce(array_agg(DISTINCT i.service) FILTER (WHERE i.service IS NOT NULL), '{}'),
             bool_or(i.is_dlq), bool_or(b.terminal), bool_and(i.correlation_from_trace), now()
      FROM ins i JOIN batch b ON b.topic = i.topic AND b.partition = i.partition AND b."offset" = i."offset"
      WHERE i.correlation_id IS NOT NULL
      GROUP BY i.correlation_id
      ORDER BY i.correlation_id
      ON CONFLICT (correlation_id) DO UPDATE SET
        first_seen = least(f.first_seen, excluded.first_seen),
        last_seen = greatest(f.last_seen, excluded.last_seen),
        events = f.events + excluded.events,
        services = ARRAY(SELECT DISTINCT s FROM unnest(f.services || excluded.services) AS s ORDER BY s),
        has_dlq = f.has_dlq OR excluded.has_dlq,
        completed = f.completed OR excluded.completed,
        from_trace = f.from_trace AND excluded.from_trace,
        updated_at = now()
      RETURNING 1
    )${pending ? PENDING_ON : sql``},
    counted AS (${countInserted(sql`ins`)}),
    -- Only rows that hit an existing key are looked up again (none, in steady state).
    conflicted AS (
      SELECT b.topic, b.partition, b."offset", b.ts, b.size, b.key FROM batch b
      WHERE NOT EXISTS (SELECT 1 FROM ins i WHERE i.topic = b.topic AND i.partition = b.partition AND i."offset" = b."offset")
    )
    SELECT (SELECT count(*) FROM ins)::int AS inserted,
           (SELECT count(*) FROM ins WHERE degraded)::int AS degraded,
           (SELECT count(*) FROM up)::int AS flows,
           (SELECT count(*) FROM conflicted c JOIN events e
              ON e.topic = c.topic AND e.partition = c.partition AND e."offset" = c."offset"
            WHERE e.ts <> c.ts OR e.size <> c.size OR e.key IS DISTINCT FROM c.key)::int AS displaced
  `);
  const r = rows[0];
  return { inserted: r?.inserted ?? 0, degraded: r?.degraded ?? 0, displaced: r?.displaced ?? 0 };
}

export interface ChunkFlowmap {
  /** Queue inserted events in flowmap_pending (FLOWTAP_FLOWMAP=on). */
  pending: boolean;
  /**
   * Called inside the displacement's transaction, before old-generation rows are deleted: the flow
   * map takes their flows out (server/flowmap/write-flowmap.ts).
   */
  beforeDisplace?: (tx: Store, json: string) => Promise<void>;
}

/**
 * Writes one chunk (at most MAX_ROWS_PER_STATEMENT records) in one statement. A re-read changes
 * nothing; records of a re-created topic replace the old generation's rows at their offsets.
 * Throws the store's error as is: the caller decides between retrying and isolating rows.
 *
 * The steady state is one autocommitted statement, with the flow map on or off. Only a displacement
 * (rare: a re-created topic) runs a transaction: the flow map's detach, the delete and the second
 * insert land together. The first insert is already committed then; a crash in between is a
 * re-read that finds the same conflicts and displaces again.
 */
export async function writeChunk(
  store: Store,
  records: ExtractedRecord[],
  terminalEvents: RegExp,
  flowmap: ChunkFlowmap = { pending: false },
): Promise<ChunkResult> {
  const json = chunkJson(records, terminalEvents);
  const first = await insertChunk(store, json, flowmap.pending);
  if (first.displaced === 0) return { inserted: first.inserted, degraded: first.degraded };
  const displace = async (tx: Store) => {
    await flowmap.beforeDisplace?.(tx, json);
    await displaceOldGeneration(tx, json);
    return insertChunk(tx, json, flowmap.pending);
  };
  const again = flowmap.beforeDisplace ? await inTransaction(store, displace) : await displace(store);
  return { inserted: first.inserted + again.inserted, degraded: first.degraded + again.degraded };
}
