// The topic browser's API contract: query schemas the route handlers parse with, and the wire
// types the client hooks read. Pure (zod only): no clock, so a relative `from` stays relative
// here and the server resolves it against its own clock.
import { z } from "zod";
import { exact, int, kafkaOffset, partition, topicName } from "./fields";

// Messages name no parameter: parseQuery/parseParams prefix the parameter's name.

const ISO = z.iso.datetime({ offset: true });
const AGO = /^(\d{1,4})(s|m|h|d)$/;
const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
/** A browse window reaches back 366 days at most: retention is counted in days, and a year covers any. */
const MAX_AGO_MS = 366 * UNIT_MS.d;
const INSTANT_HINT = "must be an ISO 8601 date-time with a zone (2026-04-25T09:52:00Z) or a span back from now (15m, 6h, 7d)";

/** `from`: an instant, or a span back from now that the server resolves when the request arrives. */
export type WindowStart = { at: string } | { agoMs: number };

const windowStart = z
  .string()
  .max(64, INSTANT_HINT)
  .transform((s, ctx): WindowStart => {
    const m = AGO.exec(s);
    if (m) {
      const ms = Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
      if (ms > 0 && ms <= MAX_AGO_MS) return { agoMs: ms };
    } else {
      const at = ISO.safeParse(s).success ? utc(s) : null;
      if (at !== null) return { at };
    }
    ctx.addIssue({ code: "custom", message: INSTANT_HINT });
    return z.NEVER;
  });

/** An ISO instant as UTC with milliseconds; null when Date cannot read it (zod's format check is looser). */
function utc(s: string): string | null {
  const t = Date.parse(s);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

const windowEnd = z.string().transform((s, ctx) => {
  const at = ISO.safeParse(s).success ? utc(s) : null;
  if (at !== null) return at;
  ctx.addIssue({ code: "custom", message: "must be an ISO 8601 date-time with a zone, e.g. 2026-04-25T09:52:00Z" });
  return z.NEVER;
});

/** `name=value`, split at the first "=": header values may hold "=" themselves. */
const headerMatch = z
  .string()
  .max(16_384, "is longer than 16384 characters")
  .refine((s) => !s.includes("\u0000"), "must not contain NUL characters")
  .transform((s, ctx) => {
    const eq = s.indexOf("=");
    if (eq <= 0) {
      ctx.addIssue({ code: "custom", message: "must be name=value (a header name, '=', the value it must have)" });
      return z.NEVER;
    }
    return { name: s.slice(0, eq), value: s.slice(eq + 1) };
  });

export const TOPIC_RECORDS_DEFAULT_LIMIT = 50;
export const TOPIC_RECORDS_MAX_LIMIT = 500;
/** The default window: the last 15 minutes. */
export const DEFAULT_WINDOW_MS = 15 * 60_000;

export const TOPIC_ORDERS = ["newest", "oldest"] as const;
export type TopicOrder = (typeof TOPIC_ORDERS)[number];

export const topicParams = z.object({ topic: topicName });

export const topicsQuery = z.object({
  /** Only this topic, with its partitions listed. */
  topic: topicName.optional(),
});

/** `?partition=` means no partition (not partition 0, as coercing "" would make it). */
const withoutEmpty = (v: unknown) => (typeof v === "object" && v !== null ? Object.fromEntries(Object.entries(v).filter(([, x]) => x !== "")) : v);

const recordsQueryObject = z
  .object({
    from: windowStart.optional(),
    to: windowEnd.optional(),
    partition: partition.optional(),
    offset: kafkaOffset.optional(),
    order: z.enum(TOPIC_ORDERS, { error: "must be newest or oldest" }).default("newest"),
    // Keys and IDs are stored cut at 512 characters; a longer key cannot match.
    key: exact(10_000).optional(),
    eventType: exact(512).optional(),
    header: headerMatch.optional(),
    contains: exact(1_000).optional(),
    limit: int(1, TOPIC_RECORDS_MAX_LIMIT).default(TOPIC_RECORDS_DEFAULT_LIMIT),
    cursor: z.string().max(4_000, "is not a cursor this API gave out").optional(),
  })
  // zod runs this even when a field failed its own checks, and a failed field keeps its raw
  // input (a string where a WindowStart is typed): every value here is checked for shape first.
  .superRefine((q, ctx) => {
    if (q.offset !== undefined && q.partition === undefined) {
      ctx.addIssue({ code: "custom", path: ["offset"], message: "needs a partition: offsets are per partition" });
    }
    if (q.offset !== undefined && (q.from !== undefined || q.to !== undefined)) {
      ctx.addIssue({ code: "custom", path: ["offset"], message: "browses from an offset, not a time window: leave out from and to" });
    }
    if (isInstant(q.from) && typeof q.to === "string" && q.from.at > q.to) {
      ctx.addIssue({ code: "custom", path: ["from"], message: "must not be later than to" });
    }
  });

function isInstant(v: unknown): v is { at: string } {
  return typeof v === "object" && v !== null && "at" in v;
}

export const topicRecordsQuery = z.preprocess(withoutEmpty, recordsQueryObject);

export type TopicRecordsQuery = z.output<typeof topicRecordsQuery>;
export type HeaderMatch = NonNullable<TopicRecordsQuery["header"]>;

// ---- wire types ----

/** GET /api/topics: one indexed topic, from the per-partition counters (no counting of events). */
export interface TopicSummary {
  topic: string;
  partitions: number;
  /** Records in the index (re-reads not counted; retention subtracts what it removes). */
  records: number;
  /** Record timestamps as producers set them; null when every record has been pruned meanwhile. */
  oldest: string | null;
  newest: string | null;
  /** Any of its records is a dead letter (by the topic's name or the records' headers). */
  isDlq: boolean;
}

export interface TopicPartitionSummary {
  partition: number;
  records: number;
  oldestOffset: string | null;
  newestOffset: string | null;
  oldest: string | null;
  newest: string | null;
}

/** With `?topic=`: the one topic and its partitions. */
export type TopicDetail = TopicSummary & { partitionList: TopicPartitionSummary[] };

export interface TopicsAnswer {
  topics: Array<TopicSummary | TopicDetail>;
}

/** What the page covers: a time window (both inclusive), or a partition read from an offset. */
export interface RecordsWindow {
  from: string | null;
  to: string | null;
  partition?: number;
  offset?: string;
}

/** The requested range starts before the oldest record the index still holds for the topic. */
export interface RetentionNote {
  oldestIndexed: string | null;
  /** In partition/offset mode: the partition's oldest indexed offset. */
  oldestOffset?: string;
  message: string;
}

/** A filtered request stopped after examining `examined` records without filling the page. */
export interface ScanNote {
  examined: number;
  message: string;
}

/** GET /api/topics/{topic}/records. `E` is the API's Event. */
export interface TopicRecordsPage<E> {
  records: E[];
  /** Opaque; the next page in the same order, window and filters. Null at the end. */
  nextCursor: string | null;
  window: RecordsWindow;
  retention?: RetentionNote;
  scan?: ScanNote;
}
