import { bigint, index, integer, json, pgTable, primaryKey, smallint, text, timestamp } from "drizzle-orm/pg-core";

/*
 * The flow map's aggregates, maintained by the tap as it writes (server/flowmap/).
 *
 * Every table has the same two leading key columns:
 *   grain  60 → per-minute rows, 3600 → per-hour rollups of the same deltas, 0 → all time
 *          (t = 1970-01-01, never pruned; what the Prometheus counters read).
 *   t      start of the minute or hour the row counts (which event time decides it is said per table).
 * A read of a window takes whole hours from grain 3600 and the ragged edges from grain 60, so
 * 24 h reads ~24 rows per key instead of 1,440.
 *
 * Rows are changed only by deltas: for each flow a chunk touched, (its contribution after the
 * chunk) − (before), computed from the flow's events under the flows row lock. A re-read inserts no
 * event, so it changes nothing; a late event moves counts between rows. Counts can reach 0 and stay.
 * Unknown service or event type is stored as '' (key columns cannot be null).
 */

/** Flows by type, at the minute of the flow's first event. */
export const flowmapFlows = pgTable(
  "flowmap_flows",
  {
    grain: integer("grain").notNull(),
    t: timestamp("t", { withTimezone: true, mode: "string" }).notNull(),
    flowType: text("flow_type").notNull(),
    flows: bigint("flows", { mode: "number" }).notNull().default(0),
    completed: bigint("completed", { mode: "number" }).notNull().default(0),
    dlq: bigint("dlq", { mode: "number" }).notNull().default(0),
  },
  (t) => [primaryKey({ name: "flowmap_flows_pk", columns: [t.grain, t.t, t.flowType] })],
);

/** Flows reaching a step (service, event type), at the minute the flow first reached it. */
export const flowmapSteps = pgTable(
  "flowmap_steps",
  {
    grain: integer("grain").notNull(),
    t: timestamp("t", { withTimezone: true, mode: "string" }).notNull(),
    flowType: text("flow_type").notNull(),
    service: text("service").notNull(),
    eventType: text("event_type").notNull(),
    flows: bigint("flows", { mode: "number" }).notNull().default(0),
    events: bigint("events", { mode: "number" }).notNull().default(0),
    /** Flows whose dead letter carries this step's event. */
    dlq: bigint("dlq", { mode: "number" }).notNull().default(0),
    duplicates: bigint("duplicates", { mode: "number" }).notNull().default(0),
    outOfOrder: bigint("out_of_order", { mode: "number" }).notNull().default(0),
  },
  (t) => [primaryKey({ name: "flowmap_steps_pk", columns: [t.grain, t.t, t.flowType, t.service, t.eventType] })],
);

/**
 * Transitions between consecutive steps of a flow, at the minute of the later event, as a latency
 * histogram: `bucket` is a fixed log bucket of the time between the steps (server/analysis/sketch.ts),
 * so histograms of any rows merge by adding counts.
 */
export const flowmapTransitions = pgTable(
  "flowmap_transitions",
  {
    grain: integer("grain").notNull(),
    t: timestamp("t", { withTimezone: true, mode: "string" }).notNull(),
    flowType: text("flow_type").notNull(),
    fromService: text("from_service").notNull(),
    fromEventType: text("from_event_type").notNull(),
    toService: text("to_service").notNull(),
    toEventType: text("to_event_type").notNull(),
    bucket: smallint("bucket").notNull(),
    flows: bigint("flows", { mode: "number" }).notNull().default(0),
  },
  (t) => [
    primaryKey({ name: "flowmap_transitions_pk", columns: [t.grain, t.t, t.flowType, t.fromService, t.fromEventType, t.toService, t.toEventType, t.bucket] }),
  ],
);

/**
 * Where flows are now: their last step and status ("open", "completed", "dlq"), at the minute of the
 * flow's last event. "Stuck" is decided at read time: open, and that minute older than the stuck threshold.
 */
export const flowmapStops = pgTable(
  "flowmap_stops",
  {
    grain: integer("grain").notNull(),
    t: timestamp("t", { withTimezone: true, mode: "string" }).notNull(),
    flowType: text("flow_type").notNull(),
    service: text("service").notNull(),
    eventType: text("event_type").notNull(),
    status: text("status").notNull(),
    flows: bigint("flows", { mode: "number" }).notNull().default(0),
  },
  (t) => [primaryKey({ name: "flowmap_stops_pk", columns: [t.grain, t.t, t.flowType, t.service, t.eventType, t.status] })],
);

/** Variants: distinct step sequences, at the minute of the flow's first event. `variant` is a hash of `steps`. */
export const flowmapVariants = pgTable(
  "flowmap_variants",
  {
    grain: integer("grain").notNull(),
    t: timestamp("t", { withTimezone: true, mode: "string" }).notNull(),
    flowType: text("flow_type").notNull(),
    variant: text("variant").notNull(),
    /** [[service, eventType], …] as JSON. */
    steps: json("steps").notNull(),
    flows: bigint("flows", { mode: "number" }).notNull().default(0),
  },
  (t) => [primaryKey({ name: "flowmap_variants_pk", columns: [t.grain, t.t, t.flowType, t.variant] })],
);

/** Per-flow bookkeeping the map needs: its type (so a reader lists a type's flows) and step count. */
export const flowmapMembers = pgTable(
  "flowmap_members",
  {
    correlationId: text("correlation_id").primaryKey(),
    flowType: text("flow_type").notNull(),
    firstSeen: timestamp("first_seen", { withTimezone: true, mode: "string" }).notNull(),
    lastSeen: timestamp("last_seen", { withTimezone: true, mode: "string" }).notNull(),
    /** The last step and status, as in flowmap_stops. */
    lastService: text("last_service").notNull(),
    lastEventType: text("last_event_type").notNull(),
    status: text("status").notNull(),
    /** Hash of the step sequence, as in flowmap_variants. */
    variant: text("variant").notNull(),
    /** The step keys in flow order (service + U+001F + event type), capped; lists a step's or a transition's flows. */
    path: text("path").array().notNull(),
  },
  (t) => [index("flowmap_members_type_idx").on(t.flowType, t.lastSeen), index("flowmap_members_last_seen_idx").on(t.lastSeen)],
);

/**
 * Events indexed but not yet folded into the flow map. The tap's events statement adds a row for
 * each event it actually inserted (a re-read adds none); the flow-map pass (server/flowmap/) reads
 * them under one snapshot, applies (contribution after − before) per flow, and deletes them. So the
 * map lags the index by about one pass, and each flow is recomputed once per pass rather than once
 * per chunk that touched it.
 */
export const flowmapPending = pgTable(
  "flowmap_pending",
  {
    topic: text("topic").notNull(),
    partition: integer("partition").notNull(),
    offset: bigint("offset", { mode: "bigint" }).notNull(),
    correlationId: text("correlation_id").notNull(),
  },
  // No key on (topic, partition, offset): each event is queued at most once by construction (only
  // the events INSERT's own inserted rows are queued; a displacement re-queues with NOT EXISTS), and
  // the key's index was a second B-tree insert per indexed event. Lookups go by correlation ID.
  (t) => [index("flowmap_pending_flow_idx").on(t.correlationId)],
);

/**
 * What the map was built with, one row (id 1): the flow types, the terminal events, the event cap
 * and the contribution's version, or "off". The tap compares it at start (server/flowmap/settings.ts):
 * different settings, or events indexed with no row (an install from before the map), mean a rebuild.
 */
export const flowmapSettings = pgTable("flowmap_settings", {
  id: smallint("id").primaryKey(),
  fingerprint: text("fingerprint").notNull(),
  changedAt: timestamp("changed_at", { withTimezone: true, mode: "string" }).notNull().defaultNow(),
});
