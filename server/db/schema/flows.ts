import { sql } from "drizzle-orm";
import { bigint, boolean, index, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * One row per correlation ID, maintained by the tap in the same statement that inserts
 * the events (only rows actually inserted count, so a re-read batch does not double it).
 * Lets "recent flows" page through millions of events without aggregating them.
 */
export const flows = pgTable(
  "flows",
  {
    correlationId: text("correlation_id").primaryKey(),
    firstSeen: timestamp("first_seen", { withTimezone: true, mode: "string" }).notNull(),
    lastSeen: timestamp("last_seen", { withTimezone: true, mode: "string" }).notNull(),
    // bigint: a constant correlation ID ("null", an all-zero UUID) collects every event of a topic.
    events: bigint("events", { mode: "number" }).notNull(),
    services: text("services").array().notNull().default(sql`'{}'::text[]`),
    hasDlq: boolean("has_dlq").notNull().default(false),
    /** A terminal event (FLOWTAP_TERMINAL_EVENTS) was seen: the flow is not stuck. */
    completed: boolean("completed").notNull().default(false),
    fromTrace: boolean("from_trace").notNull().default(false),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "string" }).notNull().defaultNow(),
  },
  (t) => [index("flows_last_seen_idx").on(t.lastSeen, t.correlationId)],
);
