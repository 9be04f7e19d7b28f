import "server-only";
// Reads given offset ranges of given partitions, exactly as the records are in Kafka (the
// index keeps only a display copy). kafkajs has no manual assignment, so a throwaway group
// joins, seeks each partition to its range and stops once every range is passed; it never
// commits, and the group is deleted afterwards.
import { randomUUID } from "node:crypto";
import type { RawRecord } from "../extract/types";
import { createKafka, type KafkaSettings } from "./client";

export interface OffsetRange {
  topic: string;
  partition: number;
  /** Inclusive bounds, decimal strings. */
  from: string;
  to: string;
}

const rangeKey = (topic: string, partition: number) => `${topic}\u0000${partition}`;

/** Records found in the ranges, keyed "topic/partition/offset". Missing offsets (deleted, compacted) are simply absent. */
export async function readRanges(settings: KafkaSettings, ranges: OffsetRange[], timeoutMs = 30_000): Promise<Map<string, RawRecord>> {
  const found = new Map<string, RawRecord>();
  if (ranges.length === 0) return found;
  const kafka = createKafka(settings, { clientId: `${settings.clientId}-reader` });
  // Clamp each range to what the log holds: a range past the end would never see a batch.
  const wanted = new Map<string, { from: bigint; to: bigint; done: boolean }>();
  const admin = kafka.admin();
  await admin.connect();
  try {
    for (const topic of new Set(ranges.map((r) => r.topic))) {
      const offsets = await admin.fetchTopicOffsets(topic);
      for (const r of ranges.filter((x) => x.topic === topic)) {
        const p = offsets.find((o) => o.partition === r.partition);
        const low = BigInt(p?.low ?? "0");
        const high = BigInt(p?.high ?? "0");
        const from = BigInt(r.from) > low ? BigInt(r.from) : low;
        const to = BigInt(r.to) < high - 1n ? BigInt(r.to) : high - 1n;
        wanted.set(rangeKey(r.topic, r.partition), { from, to, done: !p || from > to });
      }
    }
  } finally {
    await admin.disconnect();
  }
  const live = ranges.filter((r) => !wanted.get(rangeKey(r.topic, r.partition))!.done);
  if (live.length === 0) return found;
  const groupId = `flowtap-reader-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 200, retry: { retries: 2 } });
  let finish: () => void = () => {};
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const checkDone = () => {
    if ([...wanted.values()].every((w) => w.done)) finish();
  };
  consumer.on(consumer.events.GROUP_JOIN, () => {
    for (const r of live) consumer.seek({ topic: r.topic, partition: r.partition, offset: wanted.get(rangeKey(r.topic, r.partition))!.from.toString() });
  });
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [...new Set(live.map((r) => r.topic))], fromBeginning: false });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const w = wanted.get(rangeKey(batch.topic, batch.partition));
        if (!w || w.done) return;
        for (const m of batch.messages) {
          const off = BigInt(m.offset);
          if (off < w.from || off > w.to) continue;
          found.set(`${batch.topic}/${batch.partition}/${m.offset}`, {
            topic: batch.topic,
            partition: batch.partition,
            offset: m.offset,
            timestamp: m.timestamp,
            key: m.key ?? null,
            headers: (m.headers ?? {}) as RawRecord["headers"],
            value: m.value ?? null,
          });
        }
        // Done when past the range's end, or when the log ends before it.
        if (BigInt(batch.lastOffset()) >= w.to || BigInt(batch.highWatermark) - 1n <= BigInt(batch.lastOffset())) w.done = true;
        checkDone();
      },
    });
    const timer = setTimeout(finish, timeoutMs);
    await finished;
    clearTimeout(timer);
    const missing = [...wanted.entries()].filter(([, w]) => !w.done).map(([k]) => k.replace("\u0000", "/"));
    if (missing.length) throw new Error(`could not read ${missing.join(", ")} within ${timeoutMs / 1000} s`);
    return found;
  } finally {
    await consumer.disconnect().catch(() => {});
    const cleanup = kafka.admin();
    await cleanup
      .connect()
      .then(() => cleanup.deleteGroups([groupId]))
      .catch(() => {})
      .finally(() => void cleanup.disconnect().catch(() => {}));
  }
}
