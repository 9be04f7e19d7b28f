import { sql } from "drizzle-orm";
import { bigint, bigserial, boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

/**
 * The replay ledger: one row per attempt to send a dead-letter record back. A row is
 * claimed ("pending") before producing and settled after; the unique index on the
 * record and its attempt number makes a second, concurrent claim fail.
 */
export const replays = pgTable(
  "replays",
  {
    replayId: text("replay_id").primaryKey(),
    dlqTopic: text("dlq_topic").notNull(),
    dlqPartition: integer("dlq_partition").notNull(),
    dlqOffset: bigint("dlq_offset", { mode: "bigint" }).notNull(),
    attempt: integer("attempt").notNull(),
    status: text("status").notNull(),
    forced: boolean("forced").notNull().default(false),
    targetTopic: text("target_topic"),
    targetPartition: integer("target_partition"),
    targetOffset: bigint("target_offset", { mode: "bigint" }),
    /** The target partition's end offset when the row was claimed: a crashed replay is looked for from here. */
    targetFloor: bigint("target_floor", { mode: "bigint" }),
    /** The x-flowtap-replay-count the replayed record carries (1 for a first replay; grows when it fails again and comes back). */
    cycle: integer("cycle").notNull().default(1),
    requestedBy: text("requested_by").notNull(),
    requestedAt: timestamp("requested_at", { withTimezone: true, mode: "string" }).notNull().defaultNow(),
    settledAt: timestamp("settled_at", { withTimezone: true, mode: "string" }),
    error: text("error"),
  },
  (t) => [
    uniqueIndex("replays_record_attempt_idx").on(t.dlqTopic, t.dlqPartition, t.dlqOffset, t.attempt),
    index("replays_pending_idx").on(t.requestedAt).where(sql`${t.status} = 'pending'`),
  ],
);

/** Who did what, when, with which outcome: every replay and every refused attempt. */
export const auditLog = pgTable(
  "audit_log",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    at: timestamp("at", { withTimezone: true, mode: "string" }).notNull().defaultNow(),
    actor: text("actor").notNull(),
    action: text("action").notNull(),
    outcome: text("outcome").notNull(),
    detail: jsonb("detail").notNull(),
  },
  (t) => [index("audit_log_at_idx").on(t.at)],
);
