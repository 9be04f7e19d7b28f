import "server-only";
// "Is a step missing because its consumer is behind, and when will it get there?" For each
// consumer group the sampler watches, the flow's events on the topics it reads that it has not
// read yet (committed offset at or below the event's offset): how far behind the group is on
// each event's partition, and when it reaches the event at its recent pace (eta.ts).
import { sql } from "drizzle-orm";
import type { Store } from "../db/client";
import { isoTs } from "../db/sql";
import type { PartitionRow, TimeLagSource } from "./compute-tick";
import { estimateEta, type Eta } from "./eta";
import { pairKey, rateWindowMs, readRecentCommits } from "./recent-commits";
import type { LagStatus } from "./status";

/** One of the flow's events the group has not read, and where the group stands on its partition. */
export interface UnreadEvent {
  partition: number;
  offset: string;
  eventType: string | null;
  /** The group's committed offset on the partition; null: never committed there. */
  committed: string | null;
  /** Records and seconds the group is behind the partition's end, as last sampled. */
  partitionLag: number | null;
  partitionSecondsBehind: number | null;
  secondsBehindSource: TimeLagSource | null;
  eta: Eta;
}

export interface ConsumerBehind {
  group: string;
  topic: string;
  status: LagStatus;
  /** Events of this flow on the topic that the group has not read yet. */
  unread: number;
  eventTypes: string[];
  /** The most records / seconds behind over the partitions holding those events. */
  lag: number | null;
  timeLagSeconds: number | null;
  sampledAt: string;
  /** Active members; null when membership could not be read. */
  members: number | null;
  /** The unread events, by partition and offset (at most MAX_EVENTS). */
  events: UnreadEvent[];
  /** When the group has read all of them: the latest of their ETAs (not consuming / unknown wins). */
  eta: Eta | null;
}

const MAX_EVENTS = 20;
const RANK: Record<Eta["state"], number> = { consuming: 0, unknown: 1, "not-consuming": 2 };

function latest(etas: readonly Eta[]): Eta | null {
  let worst: Eta | null = null;
  for (const e of etas) {
    if (!worst || RANK[e.state] > RANK[worst.state] || (e.state === worst.state && (e.etaSeconds ?? 0) > (worst.etaSeconds ?? 0))) worst = e;
  }
  return worst;
}

type GroupRow = { group_id: string; state: string; members: number; status: LagStatus; partitions: PartitionRow[]; sampled_at: string };

export async function consumersBehindFlow(store: Store, correlationId: string, opts: { intervalMs?: number; now?: Date } = {}): Promise<ConsumerBehind[]> {
  const events = await store.rows<{ topic: string; partition: number; offset: string; event_type: string | null }>(sql`
    SELECT topic, partition, "offset"::text AS "offset", event_type FROM events WHERE correlation_id = ${correlationId} LIMIT 10000`);
  if (events.length === 0) return [];
  const topics = [...new Set(events.map((e) => e.topic))];
  const groups = await store.rows<GroupRow>(sql`
    SELECT group_id, state, members, status, partitions, ${isoTs(sql`sampled_at`)} AS sampled_at FROM lag_groups
    WHERE EXISTS (SELECT 1 FROM jsonb_array_elements(partitions) p WHERE p->>'topic' IN (SELECT json_array_elements_text(${JSON.stringify(topics)}::json)))`);
  const entries: Array<{ entry: ConsumerBehind; unread: Array<{ e: (typeof events)[number]; p: PartitionRow }> }> = [];
  for (const g of groups) {
    const byTopic = new Map<string, (typeof entries)[number]>();
    for (const e of events) {
      const p = g.partitions.find((x) => x.topic === e.topic && x.partition === e.partition);
      if (!p || (p.committed !== null && BigInt(p.committed) > BigInt(e.offset))) continue;
      let item = byTopic.get(e.topic);
      if (!item) {
        const entry: ConsumerBehind = {
          group: g.group_id, topic: e.topic, status: g.status, unread: 0, eventTypes: [], lag: null, timeLagSeconds: null,
          sampledAt: g.sampled_at, members: g.state === "Unknown" ? null : g.members, events: [], eta: null,
        };
        item = { entry, unread: [] };
        byTopic.set(e.topic, item);
      }
      const entry = item.entry;
      entry.unread++;
      if (e.event_type && !entry.eventTypes.includes(e.event_type)) entry.eventTypes.push(e.event_type);
      if (p.lag !== null) entry.lag = Math.max(entry.lag ?? 0, p.lag);
      if (p.timeLagSeconds !== null) entry.timeLagSeconds = Math.max(entry.timeLagSeconds ?? 0, p.timeLagSeconds);
      item.unread.push({ e, p });
    }
    entries.push(...byTopic.values());
  }
  await addEtas(store, entries, opts);
  return entries.map((x) => x.entry).sort((a, b) => (b.timeLagSeconds ?? 0) - (a.timeLagSeconds ?? 0) || a.group.localeCompare(b.group));
}

async function addEtas(
  store: Store, entries: ReadonlyArray<{ entry: ConsumerBehind; unread: Array<{ e: { partition: number; offset: string; event_type: string | null }; p: PartitionRow }> }>,
  opts: { intervalMs?: number; now?: Date },
): Promise<void> {
  const now = opts.now ?? new Date();
  const since = new Date(now.getTime() - rateWindowMs(opts.intervalMs ?? 10_000));
  const samples = await readRecentCommits(store, entries.map(({ entry }) => ({ group: entry.group, topic: entry.topic })), since);
  for (const { entry, unread } of entries) {
    const byPartition = samples.get(pairKey(entry.group, entry.topic)) ?? new Map();
    const topic = [...byPartition.values()];
    const all = unread.map(({ e, p }): UnreadEvent => ({
      partition: e.partition,
      offset: e.offset,
      eventType: e.event_type,
      committed: p.committed,
      partitionLag: p.lag,
      partitionSecondsBehind: p.timeLagSeconds,
      secondsBehindSource: p.timeLagSeconds === null ? null : (p.timeLagSource ?? "interpolated"),
      eta: estimateEta({
        eventOffset: BigInt(e.offset),
        committed: p.committed === null ? null : BigInt(p.committed),
        members: entry.members,
        partition: byPartition.get(e.partition) ?? [],
        topic,
      }),
    }));
    entry.eta = latest(all.map((u) => u.eta));
    entry.events = all.sort((a, b) => a.partition - b.partition || (BigInt(a.offset) < BigInt(b.offset) ? -1 : 1)).slice(0, MAX_EVENTS);
  }
}
