import { bigint, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/** End offsets over wall time per partition: the table time lag is interpolated from. */
export const offsetSamples = pgTable(
  "offset_samples",
  {
    topic: text("topic").notNull(),
    partition: integer("partition").notNull(),
    t: timestamp("t", { withTimezone: true, mode: "string" }).notNull(),
    endOffset: bigint("end_offset", { mode: "bigint" }).notNull(),
    startOffset: bigint("start_offset", { mode: "bigint" }),
  },
  (t) => [primaryKey({ columns: [t.topic, t.partition, t.t] }), index("offset_samples_t_idx").on(t.t)],
);

/** A consumer group's committed offset per partition at each sampler tick (null: no commit). */
export const lagSamples = pgTable(
  "lag_samples",
  {
    groupId: text("group_id").notNull(),
    topic: text("topic").notNull(),
    partition: integer("partition").notNull(),
    t: timestamp("t", { withTimezone: true, mode: "string" }).notNull(),
    committed: bigint("committed", { mode: "bigint" }),
    endOffset: bigint("end_offset", { mode: "bigint" }).notNull(),
    lag: bigint("lag", { mode: "number" }),
    // bigint: a stopped group's seconds behind can pass int4's 68 years when producers stamp bad times.
    timeLagSeconds: bigint("time_lag_s", { mode: "number" }),
    status: text("status").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.groupId, t.topic, t.partition, t.t] }),
    index("lag_samples_t_idx").on(t.t),
  ],
);

/** Each consumer group's state at the latest sampler tick. */
export const lagGroups = pgTable("lag_groups", {
  groupId: text("group_id").primaryKey(),
  state: text("state").notNull(),
  members: integer("members").notNull(),
  /** memberId → { clientId, host, assignment: { topic: partitions[] } } */
  assignments: jsonb("assignments").notNull(),
  status: text("status").notNull(),
  reason: text("reason").notNull(),
  /** The latest tick's partition rows (committed, end, lag, seconds behind, status, reason). */
  partitions: jsonb("partitions").notNull().default([]),
  sampledAt: timestamp("sampled_at", { withTimezone: true, mode: "string" }).notNull(),
});

/** Rebalances and status changes, drawn as markers on the lag charts. */
export const lagEvents = pgTable(
  "lag_events",
  {
    groupId: text("group_id").notNull(),
    t: timestamp("t", { withTimezone: true, mode: "string" }).notNull(),
    kind: text("kind").notNull(),
    detail: text("detail").notNull(),
  },
  (t) => [index("lag_events_group_t_idx").on(t.groupId, t.t)],
);

/** Who runs a singleton job (the lag sampler) this tick, when several processes could. */
export const leases = pgTable("leases", {
  name: text("name").primaryKey(),
  holder: text("holder").notNull(),
  until: timestamp("until", { withTimezone: true, mode: "string" }).notNull(),
});

/**
 * Five-minute maxima per partition, kept up by the sampler at every tick: charts over more
 * than a few hours read these (2,016 points a week per partition) instead of every sample.
 */
export const lagRollups = pgTable(
  "lag_rollups",
  {
    groupId: text("group_id").notNull(),
    topic: text("topic").notNull(),
    partition: integer("partition").notNull(),
    bucket: timestamp("bucket", { withTimezone: true, mode: "string" }).notNull(),
    lag: bigint("lag", { mode: "number" }),
    // bigint: a stopped group's seconds behind can pass int4's 68 years when producers stamp bad times.
    timeLagSeconds: bigint("time_lag_s", { mode: "number" }),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.topic, t.partition, t.bucket] }), index("lag_rollups_bucket_idx").on(t.bucket)],
);
