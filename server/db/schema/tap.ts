import { bigint, integer, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";

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
});
