// Splitting a replay chunk into produce requests the broker accepts. kafkajs puts all of a
// request's records for one partition into one RecordBatch and never splits it; the broker
// refuses a batch over the topic's max.message.bytes (default message.max.bytes, 1048588)
// whole. So each request carries, per partition, at most what fits under that limit.
import type { OutRecord } from "./produce";

/** RecordBatch v2 header: baseOffset 8 + length 4 + epoch 4 + magic 1 + crc 4 + attributes 2 + lastOffsetDelta 4 + timestamps 16 + producer id/epoch 10 + baseSequence 4 + count 4. */
export const BATCH_OVERHEAD = 61;
/** Kept free under the limit; the size bound below is already an upper bound. */
export const HEADROOM = 1024;
/** Bytes of all partitions' batches in one request: bounds memory, far under socket.request.max.bytes (100 MiB). */
export const MAX_REQUEST_BYTES = 16 * 1024 * 1024;

const len = (b: Buffer | null) => (b ? b.length : 0);

/**
 * An upper bound of a record's size inside a batch (no compression): length, attributes,
 * timestamp delta (varlong, ≤ 10), offset delta, key and value lengths, header count
 * (varints, ≤ 5 each), and per header its two lengths (≤ 5 each).
 */
export function recordSizeBound(r: OutRecord): number {
  let size = 5 + 1 + 10 + 5 + 5 + len(r.key) + 5 + len(r.value) + 5;
  for (const [name, v] of Object.entries(r.headers)) {
    for (const one of Array.isArray(v) ? v : [v]) size += 10 + Buffer.byteLength(name) + one.length;
  }
  return size;
}

/**
 * Indices of `records`, in order, grouped into sends so that each partition's batch in a send
 * stays under `limitOf(topic)` minus headroom. A record that alone is over it is an error
 * (the caller refuses it before claiming).
 */
export function splitForBatchLimit(records: readonly OutRecord[], limitOf: (topic: string) => number): number[][] {
  const sends: number[][] = [];
  let current: number[] = [];
  let perPartition = new Map<string, number>();
  let total = 0;
  records.forEach((r, i) => {
    const size = recordSizeBound(r);
    const room = limitOf(r.topic) - HEADROOM - BATCH_OVERHEAD;
    if (size > room) throw new Error(`a record of ${size} bytes is over ${r.topic}'s max.message.bytes (${limitOf(r.topic)}) less batch overhead`);
    const k = `${r.topic}\u0000${r.partition}`;
    const used = perPartition.get(k) ?? 0;
    if (current.length > 0 && (used + size > room || total + size > MAX_REQUEST_BYTES)) {
      sends.push(current);
      current = [];
      perPartition = new Map();
      total = 0;
    }
    current.push(i);
    perPartition.set(k, (perPartition.get(k) ?? 0) + size);
    total += size;
  });
  if (current.length) sends.push(current);
  return sends;
}
