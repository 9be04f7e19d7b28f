import { sql } from "drizzle-orm";
import { bigint, boolean, index, integer, json, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/**
 * One row per Kafka record, keyed by where it lives in Kafka: re-reading a record
 * (a crash before the commit, a rebalance) hits the primary key and is absorbed.
 * Display fields are capped by the extractor; the original bytes stay in Kafka.
 */
export const events = pgTable(
  "events",
  {
    topic: text("topic").notNull(),
    partition: integer("partition").notNull(),
    offset: bigint("offset", { mode: "bigint" }).notNull(),
    ts: timestamp("ts", { withTimezone: true, mode: "string" }).notNull(),
    indexedAt: timestamp("indexed_at", { withTimezone: true, mode: "string" }).notNull().defaultNow(),
    key: text("key"),
    keyBinary: boolean("key_binary").notNull().default(false),
    correlationId: text("correlation_id"),
    correlationFromTrace: boolean("correlation_from_trace").notNull().default(false),
    traceId: text("trace_id"),
    causationId: text("causation_id"),
    eventId: text("event_id"),
    eventType: text("event_type"),
    eventVersion: text("event_version"),
    service: text("service"),
    // json, not jsonb: stored as sent (key order, spacing), and no jsonb conversion on the write path;
    // nothing queries inside them.
    headers: json("headers").notNull(),
    valueKind: text("value_kind").notNull(),
    value: json("value"),
    valueTruncated: boolean("value_truncated").notNull().default(false),
    size: integer("size").notNull(),
    tombstone: boolean("tombstone").notNull().default(false),
    isDlq: boolean("is_dlq").notNull().default(false),
    dlqFamily: text("dlq_family"),
    dlqSourceTopic: text("dlq_source_topic"),
    dlqSourcePartition: integer("dlq_source_partition"),
    dlqSourceOffset: bigint("dlq_source_offset", { mode: "bigint" }),
    dlqErrorClass: text("dlq_error_class"),
    dlqErrorMessage: text("dlq_error_message"),
    dlqStacktrace: text("dlq_stacktrace"),
    dlqFailedGroup: text("dlq_failed_group"),
    dlqAttempts: integer("dlq_attempts"),
    /** What was changed to store the record (clamped timestamp, nulled number, cut headers): null when stored as read. */
    anomalies: json("anomalies").$type<string[]>(),
    /** Schema Registry wire format: { format, schemaId, subject?, version?, key? }; null for plain records. */
    encoding: json("encoding"),
    /** Why a wire-format value could not be decoded (registry away, unknown schema, bytes not matching): it is stored as binary. */
    decodeError: text("decode_error"),
  },
  (t) => [
    primaryKey({ columns: [t.topic, t.partition, t.offset] }),
    // Partial: sparse columns cost no index maintenance on the rows that lack them.
    index("events_correlation_idx").on(t.correlationId, t.ts).where(sql`${t.correlationId} IS NOT NULL`),
    index("events_event_id_idx").on(t.eventId).where(sql`${t.eventId} IS NOT NULL`),
    index("events_trace_id_idx").on(t.traceId).where(sql`${t.traceId} IS NOT NULL`),
    index("events_key_idx").on(t.key).where(sql`${t.key} IS NOT NULL`),
    // Retention deletes by when we indexed a record, not by its producer-set timestamp
    // (which can be anything); also answers "indexed since".
    index("events_indexed_at_idx").on(t.indexedAt),
    index("events_dlq_idx").on(t.topic, t.ts).where(sql`${t.isDlq}`),
    // Degraded records are few: the partial index makes counting and listing them cheap.
    index("events_degraded_idx").on(t.indexedAt).where(sql`${t.anomalies} IS NOT NULL`),
    // The topic browser's time windows, in its page order: with (partition, offset) in the key, a
    // page of records sharing one timestamp (a producer stamping a whole batch alike) is still a
    // range read, not a sort of every record with that time.
    index("events_topic_ts_idx").on(t.topic, t.ts, t.partition, t.offset),
  ],
);

/**
 * One row per indexed topic partition, maintained by the tap with each chunk: the topic browser
 * lists topics from it without counting events. `records` counts rows inserted (not re-reads);
 * retention subtracts what it deletes and moves `oldest_*` forward.
 */
export const topicPartitions = pgTable(
  "topic_partitions",
  {
    topic: text("topic").notNull(),
    partition: integer("partition").notNull(),
    records: bigint("records", { mode: "number" }).notNull().default(0),
    oldestOffset: bigint("oldest_offset", { mode: "bigint" }),
    newestOffset: bigint("newest_offset", { mode: "bigint" }),
    oldestTs: timestamp("oldest_ts", { withTimezone: true, mode: "string" }),
    newestTs: timestamp("newest_ts", { withTimezone: true, mode: "string" }),
    isDlq: boolean("is_dlq").notNull().default(false),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "string" }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.topic, t.partition] })],
);
