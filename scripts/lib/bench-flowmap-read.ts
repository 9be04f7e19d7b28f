// Flow map read benchmark (issue 12): `events` events (10,000,000 by default: 1,000,000 flows of 3
// types × 12 steps, ~10 events a flow) stamped over the last 24 h, written through the tap's own
// write path (extractRecord → writeRecords, 1,000 a statement, the map's queue in the same
// statement) straight into the store without Kafka, as the issue allows; the map's pass drained as
// the tap's would; then GET /api/flowmap's server function timed over 24 h, beside two baselines
// from the same run: the same read over 1 h, and a full recomputation of the map from `events`.
//
// The flows: type k's step j is "<Type k> step j" at service bench-svc-(j mod 4) on topic
// benchmap.svc(j mod 4) (6 partitions, by flow); 2 of 3 flows complete all 12 steps, the rest stop
// after 1…11. Step j → j+1 takes ~40·1.6^(j-1) ms (±30 %). The 24 h before is empty: the read
// still queries its baseline window, but finds no change to explain (48 h would be 20M events).
import { sql } from "drizzle-orm";
import type { Store } from "../../server/db/client";
import { extractRecord, type ExtractConfig, type ExtractedRecord, type RawRecord } from "../../server/extract";
import { flowmapFlowsQuery, flowmapQuery } from "../../server/contract/flowmap";
import { drainFlowmap } from "../../server/flowmap/pass";
import type { FlowmapOptions } from "../../server/flowmap/options";
import { readMapFlows } from "../../server/flowmap/read-flows";
import { readFlowMap } from "../../server/flowmap/read-map";
import { recomputeFlowmap } from "../../server/flowmap/recompute";
import { writeRecords } from "../../server/tap/write-records";
import { MAX_ROWS_PER_STATEMENT } from "../../server/tap/write-events";
import { percentile } from "./bench-measure";

export interface FlowmapReadOptions {
  /** Events to write (default 10,000,000); flows are a tenth of it. */
  events?: number;
  /** Timed reads (after 3 warm-ups). */
  runs?: number;
  /** Full recomputations timed (each reads every event: ~2 min at 10M). */
  recomputeRuns?: number;
  extract: ExtractConfig;
  terminalEvents: RegExp;
  flowmap: FlowmapOptions;
  log?: (line: string) => void;
}

export interface FlowmapReadResult {
  events: number;
  flows: number;
  /** Through writeRecords, records/s (extraction included: it is the tap's write path). */
  writeRate: number;
  /** The pass draining the map's queue after the last write. */
  drainSeconds: number;
  /** Aggregate rows in the five flowmap tables, all grains. */
  rows: number;
  p50Ms: number;
  p99Ms: number;
  /** The same read over the last hour. */
  hourP50Ms: number;
  recomputeMs: number;
  /** GET /api/flowmap/flows p99 over 24 h: a stop's flows (~3 % of a type) and a transition's (~67 %), 50 a page. */
  listP99Ms: { stop: number; transition: number };
}

const TYPES = ["OrderPlaced", "RefundRequested", "ShipmentBooked"] as const;
const STEPS = 12;
const PARTITIONS = 6;
const DAY_MS = 86_400_000;
const BLOCK_FLOWS = 10_000;
const FILLER = "x".repeat(240);

const eventType = (k: number, j: number) => (j === 1 ? TYPES[k]! : j === STEPS ? `${TYPES[k]}Completed` : `${TYPES[k]}Step${j}`);
const service = (j: number) => `bench-svc-${j % 4}`;
/** Steps of flow i: 2 of 3 complete, the others stop after 1…11 (a mean of 10 events a flow). */
const stepsOf = (i: number) => (Math.floor(i / 3) % 3 !== 0 ? STEPS : 1 + (Math.floor(i / 9) % 11));

/** A deterministic jitter in [0.7, 1.3): the run is the same every time. */
function jitter(i: number, j: number): number {
  let h = Math.imul(i ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(j + 1, 0xc2b2ae35);
  h ^= h >>> 13;
  h = Math.imul(h, 0x27d4eb2d);
  return 0.7 + ((h >>> 0) / 2 ** 32) * 0.6;
}

interface Pending { ts: number; i: number; j: number }

/** The events of flows [from, to), in time order (flows overlap as a saga's do). */
function block(from: number, to: number, flows: number, startMs: number): Pending[] {
  const out: Pending[] = [];
  // The first flow starts a minute into the day, the last a minute before its end: every event
  // (≤ 20 s a flow) lies inside the 24 h read, whole minutes included.
  const spacing = (DAY_MS - 120_000) / flows;
  for (let i = from; i < to; i++) {
    let ts = startMs + i * spacing;
    const n = stepsOf(i);
    for (let j = 1; j <= n; j++) {
      out.push({ ts: Math.round(ts), i, j });
      ts += 40 * 1.6 ** (j - 1) * jitter(i, j);
    }
  }
  return out.sort((a, b) => a.ts - b.ts);
}

const encoder = new TextEncoder();

function raw(p: Pending, offsets: Map<string, number>): RawRecord {
  const k = p.i % TYPES.length;
  const cid = `map-${p.i.toString(16).padStart(6, "0")}`;
  const topic = `benchmap.svc${p.j % 4}`;
  const partition = p.i % PARTITIONS;
  const tp = `${topic}/${partition}`;
  const offset = offsets.get(tp) ?? 0;
  offsets.set(tp, offset + 1);
  const value = JSON.stringify({ type: eventType(k, p.j), eventId: `${cid}-${p.j}`, orderId: p.i, note: FILLER });
  return {
    topic, partition, offset: String(offset), timestamp: String(p.ts), key: encoder.encode(cid),
    headers: { "x-correlation-id": cid, "x-service": service(p.j) }, value: encoder.encode(value),
  };
}

async function writeAll(store: Store, o: FlowmapReadOptions, flows: number, nowMs: number): Promise<number> {
  const log = o.log ?? (() => {});
  const chunkSize = MAX_ROWS_PER_STATEMENT[store.kind];
  const offsets = new Map<string, number>();
  let written = 0;
  let inFlight: Promise<unknown> = Promise.resolve();
  let nextLog = 1_000_000;
  for (let from = 0; from < flows; from += BLOCK_FLOWS) {
    const events = block(from, Math.min(flows, from + BLOCK_FLOWS), flows, nowMs - DAY_MS + 60_000);
    for (let at = 0; at < events.length; at += chunkSize) {
      // Extract the next chunk while the previous statement is in flight, as the tap overlaps them.
      const chunk: ExtractedRecord[] = events.slice(at, at + chunkSize).map((p) => extractRecord(raw(p, offsets), o.extract));
      await inFlight;
      inFlight = writeRecords(store, chunk, o.terminalEvents, o.flowmap).then((out) => {
        if (out.inserted !== chunk.length) throw new Error(`wrote ${out.inserted} of ${chunk.length} (degraded ${out.degraded}, quarantined ${out.quarantined})`);
      });
      written += chunk.length;
    }
    if (written >= nextLog) {
      log(`flow map: ${written.toLocaleString("en-US")} events written`);
      nextLog += 1_000_000;
    }
  }
  await inFlight;
  return written;
}

async function time(runs: number, fn: () => Promise<unknown>, warmups = 3): Promise<number[]> {
  const ms: number[] = [];
  for (let i = 0; i < runs + warmups; i++) {
    const t0 = performance.now();
    await fn();
    if (i >= warmups) ms.push(performance.now() - t0);
  }
  return ms.sort((a, b) => a - b);
}

async function aggregateRows(store: Store): Promise<number> {
  let rows = 0;
  for (const table of ["flowmap_flows", "flowmap_steps", "flowmap_transitions", "flowmap_stops", "flowmap_variants"]) {
    await store.rows(sql`ANALYZE ${sql.raw(table)}`);
    const [c] = await store.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM ${sql.raw(table)}`);
    rows += c!.n;
  }
  return rows;
}

/** Writes the events into `store` (an empty database of its own), drains the map, times the reads. */
export async function benchFlowmapRead(store: Store, o: FlowmapReadOptions): Promise<FlowmapReadResult> {
  const log = o.log ?? (() => {});
  const flows = Math.round((o.events ?? 10_000_000) / 10);
  const nowMs = Date.now();
  let t0 = performance.now();
  const events = await writeAll(store, o, flows, nowMs);
  const writeRate = events / ((performance.now() - t0) / 1000);
  log(`flow map: ${events.toLocaleString("en-US")} events of ${flows.toLocaleString("en-US")} flows written at ${Math.round(writeRate).toLocaleString("en-US")}/s`);
  t0 = performance.now();
  await drainFlowmap(store, o.flowmap, o.terminalEvents);
  const drainSeconds = (performance.now() - t0) / 1000;
  await store.rows(sql`ANALYZE events`);
  await store.rows(sql`ANALYZE flowmap_members`);
  const rows = await aggregateRows(store);
  log(`flow map: drained in ${drainSeconds.toFixed(1)} s; ${rows.toLocaleString("en-US")} aggregate rows`);

  // Read as of the moment the data was stamped against, so the 24 h window holds every flow
  // however long the writes and the drain took (~15 min at 10M).
  const now = new Date(nowMs);
  const read = (since: string) => () => readFlowMap(store, { query: flowmapQuery.parse({ since }), now, stuckAfterMs: 300_000 });
  const check = await read("24h")();
  const onMap = check.flowTypes.reduce((s, t) => s + t.flows, 0);
  // Every flow started in the window: the map must count each exactly once, or the figure is of a wrong answer.
  if (onMap !== flows) throw new Error(`the map counts ${onMap} flows over 24 h, ${flows} were written`);
  const day = await time(o.runs ?? 30, read("24h"));
  const hour = await time(o.runs ?? 30, read("1h"));

  const step = (j: number) => `${service(j)}\u001f${eventType(0, j)}`;
  const list = (q: Record<string, string>) => () =>
    readMapFlows(store, { query: flowmapFlowsQuery.parse({ type: TYPES[0], since: "24h", ...q }), now, stuckAfterMs: 300_000 });
  const stop = await time(o.runs ?? 30, list({ stop: step(4) }));
  const transition = await time(o.runs ?? 30, list({ from: step(11), to: step(12) }));

  log(`flow map: full recomputation from ${events.toLocaleString("en-US")} events (${o.recomputeRuns ?? 1} run)`);
  const config = { flowTypes: o.flowmap.flowTypes, terminalEvents: o.terminalEvents, maxEvents: o.flowmap.maxEvents };
  const recompute = await time(o.recomputeRuns ?? 1, () => recomputeFlowmap(store, config), 0);
  return {
    events, flows, writeRate, drainSeconds, rows, p50Ms: percentile(day, 50), p99Ms: percentile(day, 99), hourP50Ms: percentile(hour, 50),
    recomputeMs: percentile(recompute, 50), listP99Ms: { stop: percentile(stop, 99), transition: percentile(transition, 99) },
  };
}
