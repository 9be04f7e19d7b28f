import "server-only";
// Scans offset ranges of partitions, handing each record to a visitor that keeps what it
// needs (replay originals by offset, reconciliation only records carrying a pending replay id),
// so memory is bounded by what the caller keeps plus one fetch: at most 1 MiB a partition and
// 4 MiB a fetch. kafkajs has no manual assignment, so a throwaway group joins, seeks each
// partition to its range and pauses it once the range or its slice (records/bytes) is done; it
// never commits, and the group is deleted afterwards. A timeout ends the scan early: each
// range reports how far it got, so a caller can resume there.
import { randomUUID } from "node:crypto";
import type { KafkaMessage } from "kafkajs";
import { createKafka, type KafkaSettings } from "./client";

export interface ScanRange {
  topic: string;
  partition: number;
  /** First offset to examine. Must be within the log (at or past its start). */
  from: bigint;
  /** End, exclusive. */
  to: bigint;
}

export interface ScanLimits {
  /** Records examined per range in this scan (a slice); unlimited when absent. */
  maxRecords?: number;
  /** Bytes (keys, values, headers) examined per range in this scan. */
  maxBytes?: number;
  timeoutMs: number;
}

export interface ScanEnd {
  /** The first offset not examined yet. */
  next: bigint;
  /** The whole range was examined (or the log ended before its end). */
  complete: boolean;
}

export const scanKey = (topic: string, partition: number) => `${topic}\u0000${partition}`;

function messageBytes(m: KafkaMessage): number {
  let n = (m.key?.length ?? 0) + (m.value?.length ?? 0);
  for (const [k, v] of Object.entries(m.headers ?? {})) for (const one of Array.isArray(v) ? v : [v]) n += k.length + (one?.length ?? 0);
  return n;
}

export async function scanPartitions(
  settings: KafkaSettings,
  ranges: ScanRange[],
  visit: (topic: string, partition: number, m: KafkaMessage) => void,
  limits: ScanLimits,
): Promise<Map<string, ScanEnd>> {
  const state = new Map(ranges.map((r) => [scanKey(r.topic, r.partition), { r, next: r.from, records: 0, bytes: 0, done: r.from >= r.to, full: false }]));
  const result = () => new Map([...state].map(([k, s]) => [k, { next: s.next, complete: s.done }]));
  const live = [...state.values()].filter((s) => !s.done);
  if (live.length === 0) return result();
  const kafka = createKafka(settings, { clientId: `${settings.clientId}-reader` });
  const groupId = `flowtap-reader-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 200, maxBytesPerPartition: 1024 * 1024, maxBytes: 4 * 1024 * 1024, retry: { retries: 2 } });
  let stopped = false;
  let finish: () => void = () => {};
  const finished = new Promise<void>((resolve) => (finish = resolve));
  consumer.on(consumer.events.GROUP_JOIN, () => {
    for (const s of live) if (!s.done && !s.full) consumer.seek({ topic: s.r.topic, partition: s.r.partition, offset: s.next.toString() });
  });
  const timer = setTimeout(finish, limits.timeoutMs);
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [...new Set(live.map((s) => s.r.topic))], fromBeginning: false });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const s = state.get(scanKey(batch.topic, batch.partition));
        if (stopped || !s || s.done || s.full) return;
        for (const m of batch.messages) {
          const off = BigInt(m.offset);
          if (off < s.next) continue;
          if (off >= s.r.to) {
            s.next = s.r.to;
            s.done = true;
            break;
          }
          visit(batch.topic, batch.partition, m);
          s.next = off + 1n;
          s.records++;
          s.bytes += messageBytes(m);
          if ((limits.maxRecords !== undefined && s.records >= limits.maxRecords) || (limits.maxBytes !== undefined && s.bytes >= limits.maxBytes)) {
            s.full = true;
            break;
          }
        }
        if (!s.done && !s.full) {
          // Past the batch (control records and compaction leave gaps); done at the range's or the log's end.
          const after = BigInt(batch.lastOffset()) + 1n;
          if (after > s.next) s.next = after < s.r.to ? after : s.r.to;
          if (s.next >= s.r.to || BigInt(batch.highWatermark) <= s.next) s.done = true;
        }
        if (s.done || s.full) consumer.pause([{ topic: batch.topic, partitions: [batch.partition] }]);
        if ([...state.values()].every((x) => x.done || x.full)) finish();
      },
    });
    await finished;
    stopped = true;
    return result();
  } finally {
    stopped = true;
    clearTimeout(timer);
    await consumer.disconnect().catch(() => {});
    const cleanup = kafka.admin();
    await cleanup
      .connect()
      .then(() => cleanup.deleteGroups([groupId]))
      .catch(() => {})
      .finally(() => void cleanup.disconnect().catch(() => {}));
  }
}
