import { bigint, index, integer, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

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
    timeLagSeconds: integer("time_lag_s"),
    status: text("status").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.groupId, t.topic, t.partition, t.t] }),
    index("lag_samples_t_idx").on(t.t),
  ],
);
