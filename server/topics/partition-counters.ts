import "server-only";
/**
 * topic_partitions, the topic browser's per-partition counters, kept in the statements that
 * change events so they can never disagree with them: the tap's chunk statement counts the rows
 * its INSERT actually inserted (a re-read inserts nothing, so counts nothing), and deletes
 * (retention, a re-created topic's old generation) subtract the rows they removed.
 *
 * Both take their rows in (topic, partition) order, as the flows upsert does with correlation
 * IDs: two statements locking the same counters then always queue in the same order and cannot
 * deadlock (the tap's chunk against another tap's, or against a retention batch).
 */
import { sql, type SQL } from "drizzle-orm";
import type { Store } from "../db/client";

/**
 * A CTE body that folds `ins` (rows inserted, with topic, partition, "offset", ts, is_dlq) into
 * the counters. One row per partition a chunk touches: ≤ 1 upsert per partition per chunk.
 */
export function countInserted(ins: SQL): SQL {
  return sql`
    INSERT INTO topic_partitions AS tp (topic, partition, records, oldest_offset, newest_offset, oldest_ts, newest_ts, is_dlq, updated_at)
    SELECT topic, partition, count(*), min("offset"), max("offset"), min(ts), max(ts), bool_or(is_dlq), now()
    FROM ${ins}
    GROUP BY topic, partition
    ORDER BY topic, partition
    ON CONFLICT (topic, partition) DO UPDATE SET
      records = tp.records + excluded.records,
      oldest_offset = least(tp.oldest_offset, excluded.oldest_offset),
      newest_offset = greatest(tp.newest_offset, excluded.newest_offset),
      oldest_ts = least(tp.oldest_ts, excluded.oldest_ts),
      newest_ts = greatest(tp.newest_ts, excluded.newest_ts),
      is_dlq = tp.is_dlq OR excluded.is_dlq,
      updated_at = now()
    RETURNING 1`;
}

/**
 * A CTE body that subtracts `gone` (rows deleted, with topic and partition) from the counters,
 * locking them in (topic, partition) order first. Returns the partitions it changed. Oldest and
 * newest are left to settleExtent: which rows remain is only visible after the delete.
 */
export function uncountDeleted(gone: SQL): SQL {
  return sql`
    UPDATE topic_partitions t SET records = greatest(0, t.records - c.n), updated_at = now()
    FROM (
      SELECT c.topic, c.partition, c.n
      FROM (SELECT topic, partition, count(*) AS n FROM ${gone} GROUP BY topic, partition) c
      JOIN topic_partitions l ON l.topic = c.topic AND l.partition = c.partition
      ORDER BY c.topic, c.partition
      FOR UPDATE OF l
    ) c
    WHERE t.topic = c.topic AND t.partition = c.partition
    RETURNING t.topic, t.partition`;
}

export type Touched = Array<{ topic: string; partition: number }>;

/** The touched partitions' counters, locked in (topic, partition) order, as explained at the top. */
const LOCKED = (touched: Touched) => sql`(
  SELECT l.topic, l.partition FROM topic_partitions l
  JOIN json_to_recordset(${JSON.stringify(touched)}::json) AS x(topic text, partition int) ON x.topic = l.topic AND x.partition = l.partition
  ORDER BY l.topic, l.partition FOR UPDATE OF l) k`;

/**
 * Offsets by the primary key, times by events_topic_ts_idx (walked from the topic's end until a
 * row of the partition: partitions interleave in time, so a few rows). Newest too: retention goes
 * by when a record was indexed, and a record stamped late by its producer can be indexed early.
 * coalesce keeps what a tap chunk committing meanwhile wrote. A partition counted down to nothing
 * is deleted; `records <= 0` is re-checked on the row as it stands when locked, so one a tap has
 * just written to stays.
 */
export async function settleExtent(store: Store, touched: Touched): Promise<void> {
  const first = (column: SQL, dir: SQL) =>
    sql`(SELECT ${column} FROM events e WHERE e.topic = t.topic AND e.partition = t.partition ORDER BY ${column} ${dir} LIMIT 1)`;
  await store.rows(sql`
    UPDATE topic_partitions t SET
      oldest_offset = coalesce(${first(sql`e."offset"`, sql`ASC`)}, t.oldest_offset),
      newest_offset = coalesce(${first(sql`e."offset"`, sql`DESC`)}, t.newest_offset),
      oldest_ts = coalesce(${first(sql`e.ts`, sql`ASC`)}, t.oldest_ts),
      newest_ts = coalesce(${first(sql`e.ts`, sql`DESC`)}, t.newest_ts)
    FROM ${LOCKED(touched)} WHERE t.topic = k.topic AND t.partition = k.partition AND t.records > 0`);
  await store.rows(sql`
    DELETE FROM topic_partitions t USING ${LOCKED(touched)} WHERE t.topic = k.topic AND t.partition = k.partition AND t.records <= 0`);
}
