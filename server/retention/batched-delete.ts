import "server-only";
/**
 * Deletes in bounded statements, each its own short transaction, so a backlog of millions of
 * rows never becomes one giant transaction (WAL, locks, a statement past statement_timeout).
 * Each walk is a keyset: a statement starts where the previous one stopped, so the dead rows
 * it left behind (reclaimed only by a later vacuum) are never scanned again.
 */
import { sql, type SQL } from "drizzle-orm";
import type { Store } from "../db/client";

/**
 * Rows a time-window statement deletes at most (plus the rows sharing its last timestamp).
 * Measured on 1M events on PGlite: 23–50 ms a statement, so the process (which PGlite blocks
 * while a statement runs) keeps answering between them.
 */
export const BATCH_ROWS = 10_000;
/** Heap blocks a block-range statement covers: at most 32 × 291 (MaxHeapTuplesPerPage) = 9,312 rows. */
export const BATCH_BLOCKS = 32;

const US = `'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'`;

/**
 * Deletes rows of `table` with `column` < cutoff (and `extra`), walking the btree on `column`
 * in windows [lo, hi): hi is the column value BATCH_ROWS rows after lo, so each window holds
 * at most BATCH_ROWS rows, except when more rows than that share lo itself (one tap chunk
 * shares one indexed_at: ≤ 1,000).
 */
export async function deleteByTime(store: Store, table: string, column: string, cutoff: Date, extra: SQL = sql`TRUE`): Promise<number> {
  const t = sql.identifier(table);
  const c = sql.identifier(column);
  const end = cutoff.toISOString();
  let lo = "-infinity";
  let total = 0;
  for (;;) {
    const [r] = await store.rows<{ n: number; hi: string; done: boolean }>(sql`
      WITH bound AS MATERIALIZED (
        SELECT ${c} AS b FROM ${t} WHERE ${c} >= ${lo}::timestamptz AND ${c} < ${end}::timestamptz
        ORDER BY ${c} OFFSET ${BATCH_ROWS} LIMIT 1
      ), win AS MATERIALIZED (
        SELECT CASE WHEN NOT EXISTS (SELECT 1 FROM bound) THEN ${end}::timestamptz
                    WHEN (SELECT b FROM bound) > ${lo}::timestamptz THEN (SELECT b FROM bound)
                    ELSE ${lo}::timestamptz + interval '1 microsecond' END AS hi
      ), gone AS (
        DELETE FROM ${t} WHERE ${c} >= ${lo}::timestamptz AND ${c} < (SELECT hi FROM win) AND ${extra} RETURNING 1
      )
      SELECT (SELECT count(*) FROM gone)::int AS n,
             to_char((SELECT hi FROM win) AT TIME ZONE 'UTC', ${sql.raw(US)}) AS hi,
             NOT EXISTS (SELECT 1 FROM bound) AS done`);
    total += r?.n ?? 0;
    if (!r || r.done) return total;
    lo = r.hi;
  }
}

/**
 * Deletes rows of `table` matching `where`, walking the heap by block ranges (a TID range
 * scan, PostgreSQL 14+, so PGlite too): for tables with no index that leads with the time
 * column. Each statement reads BATCH_BLOCKS blocks; rows added past the end while it walks
 * are new, not due.
 */
export async function deleteByBlocks(store: Store, table: string, where: SQL): Promise<number> {
  const t = sql.identifier(table);
  const [size] = await store.rows<{ blocks: number }>(sql`
    SELECT (pg_relation_size(${table}::regclass) / current_setting('block_size')::int)::int AS blocks`);
  let total = 0;
  for (let b = 0; b < (size?.blocks ?? 0); b += BATCH_BLOCKS) {
    const [r] = await store.rows<{ n: number }>(sql`
      WITH gone AS (
        DELETE FROM ${t} WHERE ctid >= ${`(${b},0)`}::tid AND ctid < ${`(${b + BATCH_BLOCKS},0)`}::tid AND ${where} RETURNING 1
      ) SELECT count(*)::int AS n FROM gone`);
    total += r?.n ?? 0;
  }
  return total;
}
