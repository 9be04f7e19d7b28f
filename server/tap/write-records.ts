import "server-only";
// A chunk the store refuses for its data must not stop the index. The rows at fault are
// isolated by halving the chunk, each is stored in a reduced form that says what was left out,
// and a record even that cannot hold goes to the quarantine table with its coordinates and the
// reason. A store that is away is a different matter: that error is thrown to the tap, which
// retries the same chunk and commits nothing meanwhile.
import { sql } from "drizzle-orm";
import type { Store } from "../db/client";
import { describeStoreError, storeErrorKind } from "../db/errors";
import type { ExtractedRecord } from "../extract/types";
import { DEFAULT_FLOWMAP, type FlowmapOptions } from "../flowmap/options";
import { chunkFlowmap } from "../flowmap/write-flowmap";
import { writeChunk, type ChunkResult } from "./write-events";

export interface WriteOutcome extends ChunkResult {
  quarantined: number;
}

const INT64 = /^\d{1,19}$/;
const MAX_INT64 = 9223372036854775807n;

/** The record with only what a flow needs (coordinates, time, IDs), and why. Pure. */
export function reducedRecord(r: ExtractedRecord, reason: string): ExtractedRecord {
  return {
    ...r,
    key: null,
    keyBinary: false,
    traceId: null,
    causationId: null,
    eventVersion: null,
    headers: {},
    valueKind: "null",
    valueJson: "null",
    valueTruncated: r.size > 0,
    dlq: r.dlq === null ? null : { ...r.dlq, errorMessage: null, stacktrace: null, sourceOffset: null, sourceTimestamp: null },
    anomalies: [...r.anomalies, `the store refused the record as read (${reason}); kept without key, headers and value`],
  };
}

async function quarantine(store: Store, r: ExtractedRecord, reason: string): Promise<number> {
  if (!INT64.test(r.offset) || BigInt(r.offset) > MAX_INT64) return 0; // cannot come from a broker: nothing to key it by
  await store.rows(sql`
    INSERT INTO tap_quarantine (topic, partition, "offset", reason, size)
    VALUES (${r.topic}, ${r.partition}, ${r.offset}::bigint, ${reason}, ${r.size})
    ON CONFLICT DO NOTHING`);
  return 1;
}

/** Tries `write`; a data error comes back as its safe description, an outage is thrown. */
async function attempt<T>(write: () => Promise<T>): Promise<{ ok: T } | { refused: string }> {
  try {
    return { ok: await write() };
  } catch (err) {
    if (storeErrorKind(err) === "unavailable") throw err;
    return { refused: describeStoreError(err) };
  }
}

/**
 * The chunk's events and, in the same statement, their flow-map queue rows (server/flowmap/: the
 * deferred pass folds them in). The map's own failures happen in the pass, isolated per flow, so
 * what this refuses is the events themselves, and halving finds the same rows as without the map.
 */
async function write(store: Store, records: ExtractedRecord[], terminalEvents: RegExp, flowmap: FlowmapOptions): Promise<ChunkResult> {
  return writeChunk(store, records, terminalEvents, chunkFlowmap(flowmap, terminalEvents));
}

async function writeOne(store: Store, r: ExtractedRecord, terminalEvents: RegExp, flowmap: FlowmapOptions): Promise<WriteOutcome> {
  const full = await attempt(() => write(store, [r], terminalEvents, flowmap));
  if ("ok" in full) return { ...full.ok, quarantined: 0 };
  const reduced = await attempt(() => write(store, [reducedRecord(r, full.refused)], terminalEvents, flowmap));
  if ("ok" in reduced) return { ...reduced.ok, quarantined: 0 };
  // A failure here is thrown: the batch is retried rather than committed past a record kept nowhere.
  return { inserted: 0, degraded: 0, quarantined: await quarantine(store, r, `${full.refused}; reduced form: ${reduced.refused}`) };
}

/**
 * Writes records (one chunk's worth) so that every one ends up indexed, indexed reduced, or
 * quarantined. One bad row among n costs about 2·log2(n) extra statements. Throws only when
 * the store is unavailable.
 */
export async function writeRecords(
  store: Store,
  records: ExtractedRecord[],
  terminalEvents: RegExp,
  flowmap: FlowmapOptions = DEFAULT_FLOWMAP,
): Promise<WriteOutcome> {
  if (records.length === 0) return { inserted: 0, degraded: 0, quarantined: 0 };
  if (records.length === 1) return writeOne(store, records[0]!, terminalEvents, flowmap);
  const whole = await attempt(() => write(store, records, terminalEvents, flowmap));
  if ("ok" in whole) return { ...whole.ok, quarantined: 0 };
  const mid = Math.ceil(records.length / 2);
  const a = await writeRecords(store, records.slice(0, mid), terminalEvents, flowmap);
  const b = await writeRecords(store, records.slice(mid), terminalEvents, flowmap);
  return { inserted: a.inserted + b.inserted, degraded: a.degraded + b.degraded, quarantined: a.quarantined + b.quarantined };
}
