// Compares the maintained flow-map tables with a recomputation from `events`, and delivers
// generated records through the real write path the way the tap does: per partition, in offset
// order, in batches, with rewinds (a crash before the commit re-reads what was written).
import assert from "node:assert/strict";
import type { Store } from "../../server/db/client";
import { defaultExtractConfig, extractRecord, type ExtractedRecord, type RawRecord } from "../../server/extract";
import { nonZero, toRecord, type RowSet } from "../../server/analysis/flowmap-rows";
import type { ContributionConfig } from "../../server/analysis/flow-contribution";
import type { FlowmapOptions } from "../../server/flowmap/options";
import { readFlowmapTables, recomputeFlowmap, type FlowmapState } from "../../server/flowmap/recompute";
import { runPassRetrying } from "../../server/flowmap/pass";
import { writeRecords } from "../../server/tap/write-records";
import { prng } from "./flowmap-gen";

export const TERMINAL = /(Completed|Cancelled)$/;

/**
 * A maker of extracted records on one topic and partition, offsets counting up: the map's inputs
 * without a Kafka record to extract them from.
 */
export function recordMaker(topic: string): (cid: string, eventType: string, ts: number) => ExtractedRecord {
  let offset = 0;
  return (cid, eventType, ts) => ({
    topic, partition: 0, offset: String(offset++), timestamp: new Date(ts).toISOString(), key: null, keyBinary: false,
    correlationId: cid, correlationFromTrace: false, traceId: null, causationId: null, eventId: `${cid}-${offset}`, eventType, eventVersion: null,
    service: "svc", headers: {}, valueKind: "null", valueJson: "null", valueTruncated: false, size: 0, tombstone: false, isDlq: false, dlq: null,
    anomalies: [], encoding: null, decodeError: null,
  }) as ExtractedRecord;
}

const lines = (rows: RowSet) => nonZero(rows).map((r) => JSON.stringify(toRecord(r))).sort();

/** Tables == recomputation: rows with a non-zero count, and every members row. Returns the row count. */
export function assertSameMap(actual: FlowmapState, expected: FlowmapState, what: string): number {
  const a = lines(actual.rows);
  const e = lines(expected.rows);
  const missing = e.filter((x) => !a.includes(x)).slice(0, 5);
  const extra = a.filter((x) => !e.includes(x)).slice(0, 5);
  assert.deepEqual({ missing, extra }, { missing: [], extra: [] }, `${what}: aggregate rows differ from the recomputation`);
  assert.equal(a.length, e.length);
  const members = (s: FlowmapState) => [...s.members].map(([cid, m]) => JSON.stringify([cid, m])).sort();
  assert.deepEqual(members(actual), members(expected), `${what}: flowmap_members differs from the recomputation`);
  return a.length;
}

export async function assertMapEqualsRecomputation(store: Store, config: ContributionConfig, what: string): Promise<number> {
  return assertSameMap(await readFlowmapTables(store), await recomputeFlowmap(store, config, 500), what);
}

export interface Delivery {
  seed: number;
  /** Concurrent writers, each owning some partitions (the tap runs 3 batches at once on PostgreSQL). */
  workers: number;
  /** Chance that a partition rewinds 1–3 batches after a batch (a crash before the commit). */
  rewind: number;
  /**
   * Flow-map passes running back to back while the writers write (the interleaving that matters:
   * a pass's snapshot taken between chunks of the same flows). Default true.
   */
  passes?: boolean;
}

/** Writes every record through writeRecords, partition by partition, with re-reads. Returns the writes made. */
export async function deliver(store: Store, records: readonly RawRecord[], flowmap: FlowmapOptions, d: Delivery): Promise<number> {
  const rnd = prng(d.seed);
  const extract = defaultExtractConfig();
  const parts = new Map<string, RawRecord[][]>();
  const byPart = new Map<string, RawRecord[]>();
  for (const r of records) {
    const k = `${r.topic}/${r.partition}`;
    byPart.set(k, [...(byPart.get(k) ?? []), r]);
  }
  for (const [k, list] of byPart) {
    const batches: RawRecord[][] = [];
    for (let i = 0; i < list.length;) {
      const n = 1 + Math.floor(rnd() * 40);
      batches.push(list.slice(i, i + n));
      i += n;
    }
    parts.set(k, batches);
  }
  const keys = [...parts.keys()].sort();
  let writes = 0;
  let inserted = 0;
  let writing = true;
  // Small passes (50 flows), so many of them interleave with the chunks.
  const passRnd = prng(d.seed + 7919);
  let folded = 0;
  const passer = async () => {
    let after: string | null = null;
    while (writing) {
      const r = await runPassRetrying(store, flowmap, TERMINAL, { maxFlows: 50, after });
      after = r.cursor;
      folded += r.flows;
      // setImmediate, not a timer: PGlite answers in microtasks, and a writer that never yields to
      // the event loop's later phases would starve a timer until it is done.
      for (let i = Math.floor(passRnd() * 4); i >= 0; i--) await new Promise((r) => setImmediate(r));
    }
  };
  const passFailed: unknown[] = [];
  const passing = d.passes === false || !flowmap.enabled ? Promise.resolve() : passer().catch((e: unknown) => void passFailed.push(e));
  await Promise.all(Array.from({ length: d.workers }, async (_, w) => {
    const mine = keys.filter((_, i) => i % d.workers === w);
    const cursor = new Map(mine.map((k) => [k, 0]));
    for (;;) {
      const open = mine.filter((k) => cursor.get(k)! < parts.get(k)!.length);
      if (open.length === 0) return;
      const k = open[Math.floor(rnd() * open.length)]!;
      const i = cursor.get(k)!;
      inserted += (await writeRecords(store, parts.get(k)![i]!.map((r) => extractRecord(r, extract)), TERMINAL, flowmap)).inserted;
      writes++;
      await new Promise((r) => setImmediate(r));
      cursor.set(k, rnd() < d.rewind ? Math.max(0, i + 1 - (1 + Math.floor(rnd() * 3))) : i + 1);
    }
  })).finally(() => (writing = false));
  await passing;
  if (passFailed.length > 0) throw passFailed[0];
  // The interleaving was exercised: passes folded flows while chunks of them were still arriving.
  if (d.passes !== false && flowmap.enabled && inserted > 200) assert.ok(folded > 0, "passes folded flows during the writes");
  return writes;
}
