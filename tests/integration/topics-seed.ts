// Records for the topic browser's tests, written the way the tap writes them (extraction, then
// writeRecords into the store) without a broker: times, keys, types, headers and values chosen so
// that every filter matches some records and not others, with timestamps shared across and within
// partitions (the cursor must break those ties), a quoted text value, a binary value and a tombstone.
import type { Store } from "../../server/db/client";
import { defaultExtractConfig, extractRecord, type RawRecord } from "../../server/extract";
import type { ExtractedRecord } from "../../server/extract/types";
import { writeRecords } from "../../server/tap/write-records";

export const NOW = Date.parse("2026-05-01T12:00:00.000Z");
export const MINUTE = 60_000;
export const PARTITIONS = 3;

const utf8 = (s: string) => Buffer.from(s, "utf8");

/** Record i of a topic: 32 s apart in pairs (so two records share each time), the first 40 min before NOW. */
export function rawRecords(topic: string, count: number, startMs = NOW - 40 * MINUTE): RawRecord[] {
  const offsets = new Array<number>(PARTITIONS).fill(0);
  return Array.from({ length: count }, (_, i) => {
    const partition = i % PARTITIONS;
    const text = i % 11 === 0;
    const binary = i % 13 === 0;
    const tombstone = i % 17 === 0;
    const value = tombstone
      ? null
      : binary
        ? Buffer.from([0xff, 0x00, 0xfe, i & 255])
        : text
          ? utf8(`plain text ${i} with "quotes" and a needle`)
          : utf8(JSON.stringify({ n: i, type: i % 10 === 9 ? undefined : `T${i % 4}`, correlationId: `c-${i % 9}`, note: i % 5 === 0 ? 'needle "quoted"' : "hay" }));
    return {
      topic,
      partition,
      offset: String(offsets[partition]!++),
      timestamp: String(startMs + Math.floor(i / 2) * 32_000),
      key: i % 19 === 0 ? null : utf8(`k${i % 7}`),
      headers: { "x-tenant": utf8(`t${i % 3}`), "x-n": utf8(String(i)) },
      value,
    };
  });
}

export function extracted(raws: readonly RawRecord[]): ExtractedRecord[] {
  const config = defaultExtractConfig();
  return raws.map((r) => extractRecord(r, config));
}

export async function write(store: Store, records: ExtractedRecord[]): Promise<void> {
  for (let i = 0; i < records.length; i += 200) await writeRecords(store, records.slice(i, i + 200), /^$/);
}

export const keyOf = (r: { topic: string; partition: number; offset: string }) => `${r.topic}/${r.partition}/${r.offset}`;

/** (ts, partition, offset), the API's order. */
export function compare(a: ExtractedRecord, b: ExtractedRecord): number {
  if (a.timestamp !== b.timestamp) return a.timestamp < b.timestamp ? -1 : 1;
  if (a.partition !== b.partition) return a.partition - b.partition;
  return BigInt(a.offset) < BigInt(b.offset) ? -1 : BigInt(a.offset) > BigInt(b.offset) ? 1 : 0;
}
