// Flow map read benchmark (issue 12): the aggregate tables filled as the tap would leave them after
// `flows` flows of `types` types × 12 steps a day (1,000,000 flows ≈ 10,000,000 events: ~10 events a
// flow), for the 24 h read and the 24 h before it (its baseline), then GET /api/flowmap's server
// function over 24 h timed, beside two baselines from the same run: the same read over 1 h, and,
// when the caller passes one, a full recomputation of the map from `events` (the lead's; this file
// gives it a place). Rows are generated in SQL (generate_series), not through the writer, so the
// fill takes seconds; their shape follows server/analysis/flow-contribution.ts: per minute one
// flows row, 12 step rows, ~15 transitions × ~9 latency buckets, ~15 stop rows and 10 variants per
// type, rolled up into hour and all-time rows.
import { sql } from "drizzle-orm";
import type { Store } from "../../server/db/client";
import { bucketOf } from "../../server/analysis/sketch";
import { flowmapFlowsQuery, flowmapQuery } from "../../server/contract/flowmap";
import { readMapFlows } from "../../server/flowmap/read-flows";
import { readFlowMap } from "../../server/flowmap/read-map";
import { percentile } from "./bench-measure";

export interface FlowmapReadOptions {
  /** Flows a day (default 1,000,000). */
  flows?: number;
  types?: number;
  /** Timed reads (after 3 warm-ups). */
  runs?: number;
  /** flowmap_members rows to add (spread over 24 h), to time the flow lists too; 0 skips them. */
  members?: number;
  /** A full recomputation of the map from `events`, timed 3 times beside the read. */
  recompute?: () => Promise<unknown>;
  log?: (line: string) => void;
}

export interface FlowmapReadResult {
  rows: number;
  fillSeconds: number;
  p50Ms: number;
  p99Ms: number;
  /** The same read over the last hour: what the 24 h read costs beyond it. */
  hourP50Ms: number;
  recomputeP50Ms: number | null;
  /** GET /api/flowmap/flows p99 over 24 h: a common stop (1.5 %) and a rare transition (0.5 %), 50 a page. */
  listP99Ms: { stop: number; transition: number } | null;
}

const STEPS = 12;
const HOURS = 48;
// Each transition's share of the type's flows and its median latency: the saga's next step (reach
// falls 1.5 % a step), a skip around three steps (1 %) and a retry back from step 7 (0.5 %).
const TRANSITIONS: Array<[from: number, to: number, share: number, medianMs: number]> = [
  ...Array.from({ length: STEPS - 1 }, (_, i): [number, number, number, number] => [i + 1, i + 2, 1 - 0.015 * (i + 1), 40 * 1.6 ** i]),
  [2, 4, 0.01, 300], [5, 7, 0.01, 900], [8, 10, 0.01, 2000], [7, 6, 0.005, 5000],
];
// Latency spread: buckets −4…+4 around the median's, weights of a normal curve (σ = 2 buckets ≈ ±0.45 in ln ms).
const SPREAD = Array.from({ length: 9 }, (_, i) => [i - 4, Math.exp(-((i - 4) ** 2) / 8)] as const);
const SPREAD_SUM = SPREAD.reduce((s, [, w]) => s + w, 0);
const VARIANT_SHARES = [0.8, 0.05, 0.04, 0.03, 0.02, 0.02, 0.015, 0.01, 0.01, 0.005];

const TABLE_KEYS = {
  flowmap_flows: { keys: "flow_type", sums: ["flows", "completed", "dlq"] },
  flowmap_steps: { keys: "flow_type, service, event_type", sums: ["flows", "events", "dlq", "duplicates", "out_of_order"] },
  flowmap_transitions: { keys: "flow_type, from_service, from_event_type, to_service, to_event_type, bucket", sums: ["flows"] },
  flowmap_stops: { keys: "flow_type, service, event_type, status", sums: ["flows"] },
  flowmap_variants: { keys: "flow_type, variant", sums: ["flows"] },
} as const;

async function fill(store: Store, perMinute: number, types: number): Promise<number> {
  const minutes = sql`generate_series(0, ${HOURS * 60 - 1}) AS m, generate_series(1, ${types}) AS ty`;
  // One "now" for every statement: the fill takes seconds, and tables must agree on their minutes.
  const t = sql`${new Date(Math.floor(Date.now() / 60_000) * 60_000).toISOString()}::timestamptz - make_interval(mins => m)`;
  const type = sql`'BenchFlow' || ty`;
  const svc = (j: unknown) => sql`'bench-svc-' || (${j}::int % 4)`;
  const ev = (j: unknown) => sql`'BenchFlow' || ty || 'Step' || ${j}::int`;
  const f = sql`(${perMinute} * (0.95 + random() * 0.1))`;
  // An incident, so the timed read does its change work too: for the last 3 h, 50 % of the first
  // type's flows stop after step 7 (1.5 % before) and step 6 → 7 takes 1.25^7 ≈ 4.8 × as long.
  const incident = sql`(ty = 1 AND m < 180)`;
  await store.rows(sql`INSERT INTO flowmap_flows (grain, t, flow_type, flows, completed, dlq)
    SELECT 60, ${t}, ${type}, round(${f}), round(${perMinute} * 0.8), round(${perMinute} * 0.02) FROM ${minutes}`);
  await store.rows(sql`INSERT INTO flowmap_steps (grain, t, flow_type, service, event_type, flows, events, dlq, duplicates, out_of_order)
    SELECT 60, ${t}, ${type}, ${svc(sql`j`)}, ${ev(sql`j`)}, round(${f} * (1 - 0.015 * (j - 1))), round(${f} * (1 - 0.015 * (j - 1)) * 1.05),
           CASE WHEN j IN (3, 6) THEN round(${perMinute} * 0.01) ELSE 0 END, round(${perMinute} * 0.005), round(${perMinute} * 0.002)
    FROM ${minutes}, generate_series(1, ${STEPS}) AS j`);
  const spread = TRANSITIONS.flatMap(([a, b, share, ms]) => SPREAD.map(([o, w]) => [a, b, Math.max(1, bucketOf(ms) + o), (share * w) / SPREAD_SUM]));
  await store.rows(sql`INSERT INTO flowmap_transitions (grain, t, flow_type, from_service, from_event_type, to_service, to_event_type, bucket, flows)
    SELECT 60, ${t}, ${type}, ${svc(sql`x.a`)}, ${ev(sql`x.a`)}, ${svc(sql`x.b`)}, ${ev(sql`x.b`)},
           x.bucket + CASE WHEN ${incident} AND x.a = 6 AND x.b = 7 THEN 7 ELSE 0 END, round(${f} * x.share)
    FROM ${minutes}, json_to_recordset(${JSON.stringify(spread.map(([a, b, bucket, share]) => ({ a, b, bucket, share })))}::json)
      AS x(a int, b int, bucket int, share float8)
    WHERE round(${perMinute} * x.share) > 0`);
  const stops = [{ j: STEPS, status: "completed", share: 0.8 }, { j: 3, status: "dlq", share: 0.01 }, { j: 6, status: "dlq", share: 0.01 },
    ...Array.from({ length: STEPS }, (_, i) => ({ j: i + 1, status: "open", share: 0.015 }))];
  await store.rows(sql`INSERT INTO flowmap_stops (grain, t, flow_type, service, event_type, status, flows)
    SELECT 60, ${t}, ${type}, ${svc(sql`x.j`)}, ${ev(sql`x.j`)}, x.status,
           round(${f} * CASE WHEN ${incident} AND x.j = 7 AND x.status = 'open' THEN 0.5 ELSE x.share END)
    FROM ${minutes}, json_to_recordset(${JSON.stringify(stops)}::json) AS x(j int, status text, share float8)`);
  const variants = VARIANT_SHARES.map((share, k) => ({ k, share, n: STEPS - k }));
  await store.rows(sql`INSERT INTO flowmap_variants (grain, t, flow_type, variant, steps, flows)
    SELECT 60, ${t}, ${type}, 'bench-v' || ty || '-' || x.k,
           (SELECT json_agg(json_build_array(${svc(sql`s`)}, ${ev(sql`s`)})) FROM generate_series(1, x.n) AS s), round(${f} * x.share)
    FROM ${minutes}, json_to_recordset(${JSON.stringify(variants)}::json) AS x(k int, share float8, n int)`);
  let rows = 0;
  for (const [table, { keys, sums }] of Object.entries(TABLE_KEYS)) {
    const steps = table === "flowmap_variants" ? sql`, min(steps::text)::json` : sql``;
    const cols = sql.raw(`${keys}${table === "flowmap_variants" ? ", steps" : ""}, ${sums.join(", ")}`);
    const summed = sql.raw(sums.map((c) => `sum(${c})`).join(", "));
    for (const [grain, at] of [[3600, sql`date_trunc('hour', t)`], [0, sql`'1970-01-01T00:00:00Z'::timestamptz`]] as const) {
      await store.rows(sql`INSERT INTO ${sql.raw(table)} (grain, t, ${cols})
        SELECT ${grain}, ${at}, ${sql.raw(keys)}${steps}, ${summed} FROM ${sql.raw(table)}
        WHERE grain = 60 AND flow_type LIKE 'BenchFlow%' GROUP BY ${at}, ${sql.raw(keys)}`);
    }
    await store.rows(sql`ANALYZE ${sql.raw(table)}`);
    const [c] = await store.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM ${sql.raw(table)} WHERE flow_type LIKE 'BenchFlow%'`);
    rows += c!.n;
  }
  return rows;
}

/** Members as the writer leaves them: 80 % complete all 12 steps, the rest stop at a step (open or dead-lettered). */
async function fillMembers(store: Store, n: number): Promise<void> {
  const key = (j: unknown) => sql`'bench-svc-' || (${j}::int % 4) || chr(31) || 'BenchFlow1Step' || ${j}::int`;
  await store.rows(sql`INSERT INTO flowmap_members (correlation_id, flow_type, first_seen, last_seen, last_service, last_event_type, status, variant, path)
    SELECT 'bench-' || i, 'BenchFlow1', ts - interval '3 seconds', ts, 'bench-svc-' || (last % 4), 'BenchFlow1Step' || last,
           CASE WHEN last = 12 THEN 'completed' WHEN i % 7 = 0 THEN 'dlq' ELSE 'open' END, 'bench-v1-' || (12 - last),
           ARRAY(SELECT ${key(sql`s`)} FROM generate_series(1, last) AS s)
    FROM (SELECT i, now() - make_interval(secs => i * 86400.0 / ${n}) AS ts, CASE WHEN i % 5 = 0 THEN 1 + i % 11 ELSE 12 END AS last
          FROM generate_series(1, ${n}) AS i) g`);
  await store.rows(sql`ANALYZE flowmap_members`);
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

export async function benchFlowmapRead(store: Store, opts: FlowmapReadOptions = {}): Promise<FlowmapReadResult> {
  const log = opts.log ?? (() => {});
  const types = opts.types ?? 3;
  const perMinute = Math.round((opts.flows ?? 1_000_000) / (24 * 60 * types));
  const t0 = performance.now();
  const rows = await fill(store, perMinute, types);
  const fillSeconds = (performance.now() - t0) / 1000;
  log(`flow map: ${rows.toLocaleString("en-US")} aggregate rows for ${HOURS} h (${perMinute} flows a minute per type) in ${fillSeconds.toFixed(1)} s`);
  const read = (since: string) => () => readFlowMap(store, { query: flowmapQuery.parse({ since }), now: new Date(), stuckAfterMs: 300_000 });
  const check = await read("24h")();
  if (check.flowTypes.length < types) throw new Error(`the map read ${check.flowTypes.length} of ${types} types`);
  log(`flow map: changes over 24 h: ${check.flowTypes.flatMap((x) => x.changes.map((c) => c.text)).join("; ") || "none"}`);
  const day = await time(opts.runs ?? 30, read("24h"));
  const hour = await time(opts.runs ?? 30, read("1h"));
  const recompute = opts.recompute ? await time(3, opts.recompute, 0) : null;
  let listP99Ms: FlowmapReadResult["listP99Ms"] = null;
  if (opts.members) {
    await fillMembers(store, opts.members);
    const step = (j: number) => `bench-svc-${j % 4}\u001fBenchFlow1Step${j}`;
    const list = (q: Record<string, string>) => () =>
      readMapFlows(store, { query: flowmapFlowsQuery.parse({ type: "BenchFlow1", since: "24h", ...q }), now: new Date(), stuckAfterMs: 300_000 });
    const stop = await time(opts.runs ?? 30, list({ stop: step(4) }));
    const transition = await time(opts.runs ?? 30, list({ from: step(11), to: step(12) }));
    listP99Ms = { stop: percentile(stop, 99), transition: percentile(transition, 99) };
  }
  return {
    rows, fillSeconds, p50Ms: percentile(day, 50), p99Ms: percentile(day, 99), hourP50Ms: percentile(hour, 50),
    recomputeP50Ms: recompute && percentile(recompute, 50), listP99Ms,
  };
}
