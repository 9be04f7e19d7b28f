import "server-only";
// "Is a step missing because its consumer is behind?" For each consumer group the sampler
// watches, the flow's events on the topics it reads that it has not read yet (committed
// offset at or below the event's offset), with how far behind it is.
import { sql } from "drizzle-orm";
import type { Store } from "../db/client";
import { isoTs } from "../db/sql";
import type { PartitionRow } from "./compute-tick";
import type { LagStatus } from "./status";

export interface ConsumerBehind {
  group: string;
  topic: string;
  status: LagStatus;
  /** Events of this flow on the topic that the group has not read yet. */
  unread: number;
  eventTypes: string[];
  lag: number | null;
  timeLagSeconds: number | null;
  sampledAt: string;
}

export async function consumersBehindFlow(store: Store, correlationId: string): Promise<ConsumerBehind[]> {
  const events = await store.rows<{ topic: string; partition: number; offset: string; event_type: string | null }>(sql`
    SELECT topic, partition, "offset"::text AS "offset", event_type FROM events WHERE correlation_id = ${correlationId} LIMIT 10000`);
  if (events.length === 0) return [];
  const topics = [...new Set(events.map((e) => e.topic))];
  const groups = await store.rows<{ group_id: string; status: LagStatus; partitions: PartitionRow[]; sampled_at: string }>(sql`
    SELECT group_id, status, partitions, ${isoTs(sql`sampled_at`)} AS sampled_at FROM lag_groups
    WHERE EXISTS (SELECT 1 FROM jsonb_array_elements(partitions) p WHERE p->>'topic' IN (SELECT json_array_elements_text(${JSON.stringify(topics)}::json)))`);
  const out: ConsumerBehind[] = [];
  for (const g of groups) {
    const byTopic = new Map<string, ConsumerBehind>();
    for (const e of events) {
      const p = g.partitions.find((x) => x.topic === e.topic && x.partition === e.partition);
      if (!p) continue;
      const read = p.committed !== null && BigInt(p.committed) > BigInt(e.offset);
      if (read) continue;
      const entry = byTopic.get(e.topic) ?? { group: g.group_id, topic: e.topic, status: g.status, unread: 0, eventTypes: [], lag: null, timeLagSeconds: null, sampledAt: g.sampled_at };
      entry.unread++;
      if (e.event_type && !entry.eventTypes.includes(e.event_type)) entry.eventTypes.push(e.event_type);
      if (p.lag !== null) entry.lag = Math.max(entry.lag ?? 0, p.lag);
      if (p.timeLagSeconds !== null) entry.timeLagSeconds = Math.max(entry.timeLagSeconds ?? 0, p.timeLagSeconds);
      byTopic.set(e.topic, entry);
    }
    out.push(...byTopic.values());
  }
  return out.sort((a, b) => (b.timeLagSeconds ?? 0) - (a.timeLagSeconds ?? 0) || a.group.localeCompare(b.group));
}
