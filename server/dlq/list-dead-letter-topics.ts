import "server-only";
import { sql } from "drizzle-orm";
import type { Store } from "../db/client";
import { isoTs } from "../db/sql";

export interface DeadLetterReason {
  errorClass: string | null;
  errorMessage: string | null;
  count: number;
}

export interface DeadLetterTopic {
  topic: string;
  /** The source topic most of its records name (origin headers, else the DLQ's name); null when none does. */
  sourceTopic: string | null;
  messages: number;
  /** Record timestamps, as the producer set them. */
  oldest: string;
  newest: string;
  /** When the newest record reached the index: producer clocks can be wrong, this one is ours. */
  lastIndexedAt: string;
  /** Failures grouped by error class and message, most frequent first. */
  reasons: DeadLetterReason[];
  /** Records replayed successfully at least once (still in the index, so never more than messages). */
  replayed: number;
}

export interface ListTopicsOptions {
  /** Only this dead-letter topic. */
  topic?: string;
  /** How many reasons per topic; 5 by default. */
  reasons?: number;
}

type TopicRow = {
  topic: string;
  source_topic: string | null;
  messages: number;
  oldest: string;
  newest: string;
  last_indexed_at: string;
  replayed: number;
  reasons: DeadLetterReason[];
};

/**
 * Every dead-letter topic in the index with its counts and top failure reasons. One pass over
 * the is_dlq rows (the partial index events_dlq_idx finds them; the rest of the events are
 * never read) groups them by topic, source, class and message; the rest folds those groups.
 */
export async function listDeadLetterTopics(store: Store, opts: ListTopicsOptions = {}): Promise<DeadLetterTopic[]> {
  const onlyTopic = opts.topic === undefined ? sql`` : sql`AND topic = ${opts.topic}`;
  const onlyLedgerTopic = opts.topic === undefined ? sql`` : sql`AND l.dlq_topic = ${opts.topic}`;
  const rows = await store.rows<TopicRow>(sql`
    WITH g AS (
      SELECT topic, dlq_source_topic AS source, dlq_error_class AS error_class, dlq_error_message AS error_message,
             count(*)::int AS n, min(ts) AS oldest, max(ts) AS newest, max(indexed_at) AS last_indexed
      FROM events WHERE is_dlq ${onlyTopic}
      GROUP BY 1, 2, 3, 4
    ),
    t AS (
      SELECT topic, sum(n)::int AS messages, min(oldest) AS oldest, max(newest) AS newest, max(last_indexed) AS last_indexed
      FROM g GROUP BY topic
    ),
    s AS (
      SELECT DISTINCT ON (topic) topic, source
      FROM (SELECT topic, source, sum(n) AS n FROM g WHERE source IS NOT NULL GROUP BY 1, 2) x
      ORDER BY topic, n DESC, source
    ),
    r AS (
      SELECT topic, error_class, error_message, n,
             row_number() OVER (PARTITION BY topic ORDER BY n DESC, error_class, error_message) AS rank
      FROM (SELECT topic, error_class, error_message, sum(n)::int AS n FROM g GROUP BY 1, 2, 3) y
    ),
    p AS (
      SELECT l.dlq_topic AS topic, count(DISTINCT (l.dlq_partition, l.dlq_offset))::int AS replayed
      FROM replays l JOIN events e ON e.topic = l.dlq_topic AND e.partition = l.dlq_partition AND e."offset" = l.dlq_offset
      WHERE l.status = 'replayed' ${onlyLedgerTopic}
      GROUP BY 1
    )
    SELECT t.topic, s.source AS source_topic, t.messages, ${isoTs(sql`t.oldest`)} AS oldest, ${isoTs(sql`t.newest`)} AS newest,
           ${isoTs(sql`t.last_indexed`)} AS last_indexed_at, coalesce(p.replayed, 0) AS replayed,
           coalesce((SELECT json_agg(json_build_object('errorClass', r.error_class, 'errorMessage', r.error_message, 'count', r.n) ORDER BY r.rank)
                     FROM r WHERE r.topic = t.topic AND r.rank <= ${opts.reasons ?? 5}), '[]'::json) AS reasons
    FROM t LEFT JOIN s ON s.topic = t.topic LEFT JOIN p ON p.topic = t.topic
    ORDER BY t.newest DESC, t.topic
  `);
  return rows.map((r) => ({
    topic: r.topic,
    sourceTopic: r.source_topic,
    messages: r.messages,
    oldest: r.oldest,
    newest: r.newest,
    lastIndexedAt: r.last_indexed_at,
    reasons: r.reasons,
    replayed: r.replayed,
  }));
}
