// Turns the shared fixture file (records.json) into RawRecords, as kafkajs would hand them over.
// Reused by integration tests.

import { readFileSync } from "node:fs";
import type { RawHeaderValue, RawRecord } from "../../server/extract/types";

export type FixtureBytes = { utf8: string } | { base64: string };

export interface FixtureRecord {
  topic: string;
  partition: number;
  offset: string;
  /** ISO 8601. */
  timestamp: string;
  key: FixtureBytes | null;
  headers: Record<string, FixtureBytes | FixtureBytes[] | null>;
  value: FixtureBytes | null;
}

export interface Fixture {
  name: string;
  note: string;
  record: FixtureRecord;
  /** Fields the extractor must find; null means it must find none. */
  expect: Record<string, unknown>;
}

/** Buffers, like kafkajs gives: Uint8Array views that may sit at an offset in a shared pool. */
function toBytes(b: FixtureBytes): Uint8Array {
  return "utf8" in b ? Buffer.from(b.utf8, "utf8") : Buffer.from(b.base64, "base64");
}

export function fixtureToRawRecord(record: FixtureRecord): RawRecord {
  const headers: Record<string, RawHeaderValue> = {};
  for (const [name, v] of Object.entries(record.headers)) {
    headers[name] = v === null ? null : Array.isArray(v) ? v.map(toBytes) : toBytes(v);
  }
  const ms = Date.parse(record.timestamp);
  if (Number.isNaN(ms)) throw new Error(`fixture timestamp is not ISO 8601: ${record.timestamp}`);
  return {
    topic: record.topic,
    partition: record.partition,
    offset: record.offset,
    timestamp: String(ms),
    key: record.key === null ? null : toBytes(record.key),
    headers,
    value: record.value === null ? null : toBytes(record.value),
  };
}

/** The fixtures of a records.json file; throws when the file does not have the expected shape. */
export function loadFixtures(path: string): Fixture[] {
  const doc = JSON.parse(readFileSync(path, "utf8")) as { records?: unknown };
  if (!Array.isArray(doc.records)) throw new Error(`${path}: no "records" array`);
  return doc.records.map((r: unknown, i: number) => {
    const f = r as Partial<Fixture>;
    if (typeof f.name !== "string" || typeof f.record !== "object" || f.record === null || typeof f.expect !== "object" || f.expect === null) {
      throw new Error(`${path}: record ${i} lacks name, record or expect`);
    }
    return { name: f.name, note: f.note ?? "", record: f.record, expect: f.expect };
  });
}
