import "server-only";
import { sql } from "drizzle-orm";
import type { Store } from "../db/client";
import { DEAD_LETTER_COLUMNS, DEAD_LETTER_FROM, toDeadLetterMessage, type DeadLetterMessage, type DeadLetterRow } from "./dead-letter-json";

export interface DeadLetterRecord {
  message: DeadLetterMessage;
  /** The failure's stack trace as the dead-letter headers carried it (cut at 16 KiB), or null. */
  stacktrace: string | null;
}

/** One dead letter with its stack trace, which the list leaves out; null when it is not indexed as one. */
export async function findDeadLetterMessage(store: Store, at: { topic: string; partition: number; offset: string }): Promise<DeadLetterRecord | null> {
  const [row] = await store.rows<DeadLetterRow & { dlq_stacktrace: string | null }>(sql`
    SELECT ${DEAD_LETTER_COLUMNS}, events.dlq_stacktrace FROM ${DEAD_LETTER_FROM}
    WHERE events.is_dlq AND events.topic = ${at.topic} AND events.partition = ${at.partition} AND events."offset" = ${at.offset}::bigint
  `);
  return row ? { message: toDeadLetterMessage(row), stacktrace: row.dlq_stacktrace } : null;
}
