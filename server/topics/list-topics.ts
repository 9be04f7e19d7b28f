import "server-only";
// The indexed topics, from topic_partitions: one row per partition, kept by the tap and by
// retention, so this never counts events (a topic of 1M records costs what one of 10 does).
import { sql } from "drizzle-orm";
import type { Store } from "../db/client";
import { isoTs } from "../db/sql";
import type { TopicDetail, TopicPartitionSummary, TopicSummary } from "../contract/topics";

type PartitionRow = {
  topic: string;
  partition: number;
  records: string;
  oldest_offset: string | null;
  newest_offset: string | null;
  oldest: string | null;
  newest: string | null;
  is_dlq: boolean;
};

function rowsOf(store: Store, topic?: string): Promise<PartitionRow[]> {
  return store.rows<PartitionRow>(sql`
    SELECT topic, partition, records::text AS records, oldest_offset::text AS oldest_offset, newest_offset::text AS newest_offset,
           ${isoTs(sql`oldest_ts`)} AS oldest, ${isoTs(sql`newest_ts`)} AS newest, is_dlq
    FROM topic_partitions
    ${topic === undefined ? sql`` : sql`WHERE topic = ${topic}`}
    ORDER BY topic, partition`);
}

const minIso = (a: string | null, b: string | null) => (a === null ? b : b === null ? a : a < b ? a : b);
const maxIso = (a: string | null, b: string | null) => (a === null ? b : b === null ? a : a > b ? a : b);

/** Folds partition rows (sorted by topic) into topics; ISO strings of one format compare as times. */
function fold(rows: readonly PartitionRow[]): Array<TopicSummary & { partitionList: TopicPartitionSummary[] }> {
  const topics: Array<TopicSummary & { partitionList: TopicPartitionSummary[] }> = [];
  for (const r of rows) {
    let t = topics.at(-1);
    if (t?.topic !== r.topic) {
      t = { topic: r.topic, partitions: 0, records: 0, oldest: null, newest: null, isDlq: false, partitionList: [] };
      topics.push(t);
    }
    const records = Number(r.records);
    t.partitions++;
    t.records += records;
    t.oldest = minIso(t.oldest, r.oldest);
    t.newest = maxIso(t.newest, r.newest);
    t.isDlq ||= r.is_dlq;
    t.partitionList.push({ partition: r.partition, records, oldestOffset: r.oldest_offset, newestOffset: r.newest_offset, oldest: r.oldest, newest: r.newest });
  }
  return topics;
}

/** Every indexed topic, by name. Partitions are folded here: a cluster has thousands at most. */
export async function listTopics(store: Store): Promise<TopicSummary[]> {
  return fold(await rowsOf(store)).map(({ partitionList: _, ...t }) => t);
}

/** One topic with its partitions; null when nothing of it is indexed. */
export async function findTopic(store: Store, topic: string): Promise<TopicDetail | null> {
  return fold(await rowsOf(store, topic))[0] ?? null;
}
