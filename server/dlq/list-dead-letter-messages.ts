import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { Store } from "../db/client";
import type { ReplayFilter } from "../contract/dlq";
import { decodeCursor, encodeCursor } from "./cursor";
import { DEAD_LETTER_COLUMNS, DEAD_LETTER_FROM, toDeadLetterMessage, type DeadLetterMessage, type DeadLetterRow } from "./dead-letter-json";

export interface ListDeadLettersInput {
  topic: string;
  limit: number;
  /** Opaque cursor from a previous page's nextCursor. */
  cursor?: string;
  /** Exact error message. */
  reason?: string;
  errorClass?: string;
  /** ISO 8601 bounds on the record timestamp, both inclusive. */
  from?: string;
  to?: string;
  sourceTopic?: string;
  /** "failed": the latest replay attempt failed; "not-replayed": never replayed successfully. */
  replay: ReplayFilter;
}

export interface DeadLetterPage {
  messages: DeadLetterMessage[];
  nextCursor: string | null;
}

const REPLAY_FILTER: Record<ReplayFilter, SQL | null> = {
  all: null,
  replayed: sql`r.replay_count > 0`,
  "not-replayed": sql`coalesce(r.replay_count, 0) = 0`,
  failed: sql`r.replay_status = 'failed'`,
};

async function hasDeadLetters(store: Store, topic: string): Promise<boolean> {
  const rows = await store.rows(sql`SELECT 1 FROM events WHERE is_dlq AND topic = ${topic} LIMIT 1`);
  return rows.length > 0;
}

/**
 * A dead-letter topic's records, newest first, keyset-paginated on (ts, partition, offset)
 * over the partial index events_dlq_idx. Null when the topic holds no dead letter at all
 * (as opposed to none matching the filters). Column names are qualified because the select
 * list re-uses them as aliases of text renderings, which ORDER BY would otherwise pick.
 */
export async function listDeadLetterMessages(store: Store, input: ListDeadLettersInput): Promise<DeadLetterPage | null> {
  const where: SQL[] = [sql`events.is_dlq`, sql`events.topic = ${input.topic}`];
  if (input.cursor) {
    const at = decodeCursor(input.cursor);
    // The plain bound on ts lets the index range scan start at the cursor; the row compare breaks ties.
    where.push(sql`events.ts <= ${at.ts}::timestamptz`);
    where.push(sql`(events.ts, events.partition, events."offset") < (${at.ts}::timestamptz, ${at.partition}::int, ${at.offset}::bigint)`);
  }
  if (input.reason !== undefined) where.push(sql`events.dlq_error_message = ${input.reason}`);
  if (input.errorClass !== undefined) where.push(sql`events.dlq_error_class = ${input.errorClass}`);
  if (input.from !== undefined) where.push(sql`events.ts >= ${input.from}::timestamptz`);
  if (input.to !== undefined) where.push(sql`events.ts <= ${input.to}::timestamptz`);
  if (input.sourceTopic !== undefined) where.push(sql`events.dlq_source_topic = ${input.sourceTopic}`);
  const replay = REPLAY_FILTER[input.replay];
  if (replay) where.push(replay);

  const rows = await store.rows<DeadLetterRow>(sql`
    SELECT ${DEAD_LETTER_COLUMNS} FROM ${DEAD_LETTER_FROM}
    WHERE ${sql.join(where, sql` AND `)}
    ORDER BY events.ts DESC, events.partition DESC, events."offset" DESC
    LIMIT ${input.limit + 1}
  `);
  if (rows.length === 0 && !(await hasDeadLetters(store, input.topic))) return null;
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    messages: page.map(toDeadLetterMessage),
    nextCursor: rows.length > input.limit && last ? encodeCursor({ ts: last.ts, partition: last.partition, offset: last.offset }) : null,
  };
}
