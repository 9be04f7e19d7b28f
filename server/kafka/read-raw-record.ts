import "server-only";
// One record exactly as Kafka holds it, for a record the index could not hold (quarantined):
// key, headers and value as base64, since nothing says they are text.
import type { KafkaSettings } from "./client";
import { readRanges } from "./read-records";

export interface RawRecordJson {
  topic: string;
  partition: number;
  offset: string;
  timestamp: string;
  key: { base64: string } | null;
  headers: Array<{ name: string; base64: string | null }>;
  value: { base64: string } | null;
}

const b64 = (v: Uint8Array | string) => Buffer.from(v).toString("base64");

/** The record, or null when Kafka no longer has it (retention, compaction, a deleted topic). */
export async function readRawRecord(settings: KafkaSettings, topic: string, partition: number, offset: string): Promise<RawRecordJson | null> {
  const found = await readRanges(settings, [{ topic, partition, from: offset, to: offset }], 15_000);
  const r = found.get(`${topic}/${partition}/${offset}`);
  if (!r) return null;
  const headers = Object.entries(r.headers).flatMap(([name, v]) =>
    (Array.isArray(v) ? v : [v]).map((one) => ({ name, base64: one === null || one === undefined ? null : b64(one) })),
  );
  return {
    topic, partition, offset, timestamp: r.timestamp,
    key: r.key === null ? null : { base64: b64(r.key) },
    headers,
    value: r.value === null ? null : { base64: b64(r.value) },
  };
}
