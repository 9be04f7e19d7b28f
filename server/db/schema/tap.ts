import { bigint, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Heartbeat of each tap process (in the web server or `npm run tap`), so every UI
 * server can say whether the tap runs, wherever it runs.
 */
export const tapInstances = pgTable("tap_instances", {
  instanceId: text("instance_id").primaryKey(),
  host: text("host").notNull(),
  startedAt: timestamp("started_at", { withTimezone: true, mode: "string" }).notNull(),
  heartbeatAt: timestamp("heartbeat_at", { withTimezone: true, mode: "string" }).notNull(),
  partitions: integer("partitions").notNull().default(0),
  topics: jsonb("topics").notNull().default([]),
  indexed: bigint("indexed", { mode: "number" }).notNull().default(0),
  lastIndexedAt: timestamp("last_indexed_at", { withTimezone: true, mode: "string" }),
  lastError: text("last_error"),
  state: text("state").notNull(),
  /** Records waiting for this tap's group (its own lag), at lagCheckedAt; null when not known. */
  groupLag: bigint("group_lag", { mode: "number" }),
  lagCheckedAt: timestamp("lag_checked_at", { withTimezone: true, mode: "string" }),
  /** When a batch last finished (written, quarantined or already there): what "stalled" is measured from. */
  lastProgressAt: timestamp("last_progress_at", { withTimezone: true, mode: "string" }),
});

/**
 * Records the store refused even in degraded form: where they are in Kafka and why. The offset
 * moves on past them, so they never block a partition; the record itself stays in Kafka.
 */
export const tapQuarantine = pgTable(
  "tap_quarantine",
  {
    topic: text("topic").notNull(),
    partition: integer("partition").notNull(),
    offset: bigint("offset", { mode: "bigint" }).notNull(),
    /** SQLSTATE and condition, never the query, its parameters or the payload. */
    reason: text("reason").notNull(),
    size: integer("size").notNull(),
    quarantinedAt: timestamp("quarantined_at", { withTimezone: true, mode: "string" }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.topic, t.partition, t.offset] }), index("tap_quarantine_at_idx").on(t.quarantinedAt)],
);
