import "server-only";
// Reads records exactly as they are in Kafka (the index keeps only a display copy): given
// offset ranges, or given offsets. Reading by offsets keeps only the asked-for records, so a
// replay chunk of 1,000 scattered dead letters holds 1,000 records, not everything between
// its lowest and highest offset.
import type { RawRecord } from "../extract/types";
import { createKafka, type KafkaSettings } from "./client";
import { toRawRecord } from "./consume";
import { scanKey, scanPartitions, type ScanRange } from "./scan-partitions";

export interface OffsetRange {
  topic: string;
  partition: number;
  /** Inclusive bounds, decimal strings. */
  from: string;
  to: string;
}


/** Clamps inclusive ranges to what each log holds: a range past the end would never see a batch. */
async function clamp(settings: KafkaSettings, ranges: OffsetRange[]): Promise<ScanRange[]> {
  const admin = createKafka(settings, { clientId: `${settings.clientId}-reader` }).admin();
  await admin.connect();
  try {
    const out: ScanRange[] = [];
    for (const topic of new Set(ranges.map((r) => r.topic))) {
      const offsets = await admin.fetchTopicOffsets(topic);
      for (const r of ranges.filter((x) => x.topic === topic)) {
        const p = offsets.find((o) => o.partition === r.partition);
        if (!p) continue;
        const low = BigInt(p.low);
        const high = BigInt(p.high);
        const from = BigInt(r.from) > low ? BigInt(r.from) : low;
        const end = BigInt(r.to) + 1n < high ? BigInt(r.to) + 1n : high;
        out.push({ topic, partition: r.partition, from, to: end > from ? end : from });
      }
    }
    return out;
  } finally {
    await admin.disconnect();
  }
}

async function read(settings: KafkaSettings, ranges: OffsetRange[], keep: (topic: string, partition: number, offset: string) => boolean, timeoutMs: number) {
  const found = new Map<string, RawRecord>();
  if (ranges.length === 0) return found;
  const scans = await clamp(settings, ranges);
  const ends = await scanPartitions(settings, scans, (topic, partition, m) => {
    if (keep(topic, partition, m.offset)) found.set(`${topic}/${partition}/${m.offset}`, toRawRecord(topic, partition, m));
  }, { timeoutMs });
  const missing = scans.filter((s) => !ends.get(scanKey(s.topic, s.partition))?.complete).map((s) => `${s.topic}/${s.partition}`);
  if (missing.length) throw new Error(`could not read ${missing.join(", ")} within ${timeoutMs / 1000} s`);
  return found;
}

/** Records found in the ranges, keyed "topic/partition/offset". Missing offsets (deleted, compacted) are simply absent. */
export async function readRanges(settings: KafkaSettings, ranges: OffsetRange[], timeoutMs = 30_000): Promise<Map<string, RawRecord>> {
  return read(settings, ranges, () => true, timeoutMs);
}

/** The records at the given offsets, keyed "topic/partition/offset"; only those are kept. */
export async function readOffsets(settings: KafkaSettings, refs: Array<{ topic: string; partition: number; offset: string }>, timeoutMs = 60_000): Promise<Map<string, RawRecord>> {
  const wanted = new Set(refs.map((r) => `${r.topic}/${r.partition}/${r.offset}`));
  const ranges = new Map<string, { topic: string; partition: number; from: bigint; to: bigint }>();
  for (const r of refs) {
    const k = scanKey(r.topic, r.partition);
    const o = BigInt(r.offset);
    const cur = ranges.get(k);
    ranges.set(k, cur ? { ...cur, from: o < cur.from ? o : cur.from, to: o > cur.to ? o : cur.to } : { topic: r.topic, partition: r.partition, from: o, to: o });
  }
  const list = [...ranges.values()].map((r) => ({ topic: r.topic, partition: r.partition, from: r.from.toString(), to: r.to.toString() }));
  return read(settings, list, (topic, partition, offset) => wanted.has(`${topic}/${partition}/${offset}`), timeoutMs);
}
