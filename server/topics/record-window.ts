import "server-only";
// Where a record list starts and ends, and whether the index still holds that range.
import { sql } from "drizzle-orm";
import type { Store } from "../db/client";
import { isoTs } from "../db/sql";
import { DEFAULT_WINDOW_MS, type RetentionNote, type WindowStart } from "../contract/topics";

export interface TimeWindow {
  from: string;
  to: string;
}

/** The extractor clamps record times to 1970 … 9999 (docs/architecture.md): no window needs to reach past them. */
const EARLIEST = Date.UTC(1970, 0, 1);
const LATEST = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
const clampIso = (ms: number) => new Date(Math.min(LATEST, Math.max(EARLIEST, ms))).toISOString();

/**
 * Both ends inclusive. `to` defaults to now; `from` is an instant or a span back from `to`
 * (so `to=…&from=15m` is the quarter hour before `to`), by default 15 minutes.
 */
export function resolveWindow(q: { from?: WindowStart; to?: string }, now: number): TimeWindow {
  const to = q.to === undefined ? now : Date.parse(q.to);
  const from = q.from === undefined ? to - DEFAULT_WINDOW_MS : "at" in q.from ? Date.parse(q.from.at) : to - q.from.agoMs;
  return { from: clampIso(from), to: clampIso(to) };
}

export interface TopicExtent {
  /** Oldest record time the index holds for the topic (or the partition asked for). */
  oldest: string | null;
  /** The partition's oldest indexed offset, when one was asked for. */
  oldestOffset: string | null;
}

/**
 * What the index holds of a topic, from its counters; null when nothing of it is indexed. Falls
 * back to one index probe of events for topics indexed before the counters existed.
 */
export async function topicExtent(store: Store, topic: string, partition?: number): Promise<TopicExtent | null> {
  const [r] = await store.rows<{ partitions: number; oldest: string | null; oldest_offset: string | null }>(sql`
    SELECT count(*)::int AS partitions,
           ${isoTs(sql`min(oldest_ts) FILTER (WHERE ${partition ?? null}::int IS NULL OR partition = ${partition ?? null}::int)`)} AS oldest,
           (min(oldest_offset) FILTER (WHERE partition = ${partition ?? null}::int))::text AS oldest_offset
    FROM topic_partitions WHERE topic = ${topic}`);
  if (r && r.partitions > 0) return { oldest: r.oldest, oldestOffset: r.oldest_offset };
  const any = await store.rows(sql`SELECT 1 FROM events WHERE topic = ${topic} LIMIT 1`);
  return any.length > 0 ? { oldest: null, oldestOffset: null } : null;
}

const BEFORE = "Older records were removed by the index's retention (FLOWTAP_RETENTION_DAYS) or were never indexed (the tap began reading the topic later, or does not read it).";

/** The note for a window that starts before what the index holds; undefined when it does not. */
export function retentionNote(extent: TopicExtent, range: { from: string } | { offset: string }): RetentionNote | undefined {
  if ("from" in range) {
    if (extent.oldest === null || range.from >= extent.oldest) return undefined;
    return { oldestIndexed: extent.oldest, message: `The index holds records of this topic from ${extent.oldest} on; the range asked for starts earlier. ${BEFORE}` };
  }
  if (extent.oldestOffset === null || BigInt(range.offset) >= BigInt(extent.oldestOffset)) return undefined;
  return {
    oldestIndexed: extent.oldest,
    oldestOffset: extent.oldestOffset,
    message: `The index holds this partition from offset ${extent.oldestOffset} on; the offset asked for is earlier. ${BEFORE}`,
  };
}
