import "server-only";
// The flow map in Prometheus, so teams alert on it in their own stack: per flow type and step,
// flows reaching it and flows stopped after it, the stuck flows now, and transition times as a
// histogram. Read-only over the aggregate tables (server/db/schema/flowmap.ts), never `events`:
// grain-0 (all-time) rows for the counters and the histogram, grain-60/3600 rows for "stuck now".
//
// Bounded cardinality: the TOP_TYPES flow types with the most flows keep their name, the rest are
// "other"; of their steps, the TOP_STEPS with the most flows keep theirs, the rest are
// service="other", event_type="other" (always so under type "other"); after that mapping the
// TOP_TRANSITIONS busiest transitions keep their steps and the rest of each type merge into one
// other→other transition. So at most 50 + 21 step series a family (×3 statuses for stops), and
// 50 + 21 transition histograms of 21 lines each (≈ 1,500 lines). A real type or service named
// "other" shares those series. A type
// or step moving in or out of the top N moves its counts between series; rate() over such a
// series sees a reset once.
import { sql, type SQL } from "drizzle-orm";
import type { Store } from "../db/client";
import { MAX_BUCKET, GROWTH, bucketValueMs } from "../analysis/sketch";
import { family, formatLe, type MetricFamily, type MetricSample } from "../lag/exposition";

export const TOP_TYPES = 20;
export const TOP_STEPS = 50;
export const TOP_TRANSITIONS = 50;
export const OTHER = "other";
/** Histogram bounds (s): Prometheus's default 5 ms … 10 s, then out to a day, where sagas wait. */
export const LE_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 21600, 86400] as const;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Everything in log bucket b is below this many ms (sketch.ts: bucket 0 holds ≤ 0 ms, the last one is open). */
export function bucketUpperMs(b: number): number {
  if (b <= 0) return 0;
  if (b >= MAX_BUCKET) return Infinity;
  return GROWTH ** b;
}

export interface PromHistogram {
  /** Cumulative counts for each of LE_SECONDS, then +Inf (= count). */
  cumulative: number[];
  count: number;
  /** Seconds, from each bucket's middle: approximate. */
  sum: number;
}

/**
 * Log buckets onto LE_SECONDS. A log bucket counts under the first bound at or above its upper
 * edge, so a bound never claims a transition was faster than it was; a log bucket is 25 % wide,
 * so a transition is at most that much slower than the bound it is counted under says.
 */
export function toPromHistogram(buckets: Iterable<readonly [number, number]>): PromHistogram {
  const per = new Array<number>(LE_SECONDS.length + 1).fill(0);
  let sum = 0;
  for (const [b, raw] of buckets) {
    const n = Number.isFinite(raw) && raw > 0 ? raw : 0;
    if (n === 0) continue;
    const upperS = bucketUpperMs(b) / 1000;
    const i = LE_SECONDS.findIndex((le) => upperS <= le);
    per[i < 0 ? LE_SECONDS.length : i]! += n;
    sum += (n * bucketValueMs(b)) / 1000;
  }
  const cumulative: number[] = [];
  let acc = 0;
  for (const n of per) cumulative.push((acc += n));
  return { cumulative, count: acc, sum: Number.isFinite(sum) ? sum : Number.MAX_VALUE };
}

type StepKey = { flow_type: string; service: string; event_type: string };

/** The kept types and steps, as JSON parameters, and the SQL that maps a row's names onto them. */
async function kept(store: Store): Promise<{ types: string; steps: string }> {
  const types = await store.rows<{ flow_type: string }>(sql`
    SELECT flow_type FROM flowmap_flows WHERE grain = 0 GROUP BY flow_type HAVING sum(flows) > 0
    ORDER BY sum(flows) DESC, flow_type LIMIT ${TOP_TYPES}`);
  const names = JSON.stringify(types.map((t) => t.flow_type));
  const steps = await store.rows<StepKey>(sql`
    SELECT flow_type, service, event_type FROM flowmap_steps
    WHERE grain = 0 AND flow_type IN (SELECT json_array_elements_text(${names}::json))
    GROUP BY 1, 2, 3 HAVING sum(flows) > 0 ORDER BY sum(flows) DESC, 1, 2, 3 LIMIT ${TOP_STEPS}`);
  return { types: names, steps: JSON.stringify(steps) };
}

/** FROM `table` s, with kt (kept type) and, per step prefix, a kept-step join; null joins mean "other". */
function mapped(table: SQL, k: { types: string; steps: string }, stepCols: Array<[alias: string, service: string, eventType: string]>): SQL {
  const joins = stepCols.map(([alias, svc, et]) => sql`
    LEFT JOIN json_to_recordset(${k.steps}::json) AS ${sql.raw(alias)}(flow_type text, service text, event_type text)
      ON ${sql.raw(alias)}.flow_type = s.flow_type AND ${sql.raw(alias)}.service = s.${sql.raw(svc)} AND ${sql.raw(alias)}.event_type = s.${sql.raw(et)}`);
  return sql`${table} s LEFT JOIN (SELECT json_array_elements_text(${k.types}::json) AS flow_type) kt ON kt.flow_type = s.flow_type ${sql.join(joins, sql` `)}`;
}

const typeCol = sql`CASE WHEN kt.flow_type IS NULL THEN ${OTHER} ELSE s.flow_type END`;
const stepCol = (alias: string, col: string) => sql`CASE WHEN ${sql.raw(alias)}.flow_type IS NULL THEN ${OTHER} ELSE s.${sql.raw(col)} END`;

export interface FlowMetricsOptions {
  now: Date;
  stuckAfterMs: number;
  retentionDays: number;
}

export async function flowMetricFamilies(store: Store, opts: FlowMetricsOptions): Promise<MetricFamily[]> {
  const k = await kept(store);
  const flows = await store.rows<{ flow_type: string; flows: number; completed: number; dlq: number }>(sql`
    SELECT ${typeCol} AS flow_type, sum(s.flows)::float8 AS flows, sum(s.completed)::float8 AS completed, sum(s.dlq)::float8 AS dlq
    FROM ${mapped(sql`flowmap_flows`, k, [])} WHERE s.grain = 0 GROUP BY 1 ORDER BY 1`);
  const steps = await store.rows<StepKey & { flows: number }>(sql`
    SELECT ${typeCol} AS flow_type, ${stepCol("ks", "service")} AS service, ${stepCol("ks", "event_type")} AS event_type, sum(s.flows)::float8 AS flows
    FROM ${mapped(sql`flowmap_steps`, k, [["ks", "service", "event_type"]])} WHERE s.grain = 0 GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`);
  const stops = await store.rows<StepKey & { status: string; flows: number }>(sql`
    SELECT ${typeCol} AS flow_type, ${stepCol("ks", "service")} AS service, ${stepCol("ks", "event_type")} AS event_type, s.status, sum(s.flows)::float8 AS flows
    FROM ${mapped(sql`flowmap_stops`, k, [["ks", "service", "event_type"]])} WHERE s.grain = 0 GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`);
  const stuck = await store.rows<StepKey & { flows: number }>(sql`
    SELECT ${typeCol} AS flow_type, ${stepCol("ks", "service")} AS service, ${stepCol("ks", "event_type")} AS event_type, sum(s.flows)::float8 AS flows
    FROM ${mapped(sql`flowmap_stops`, k, [["ks", "service", "event_type"]])} WHERE s.status = 'open' AND ${stuckRange(opts)}
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`);
  const transitions = await store.rows<{ flow_type: string; from_service: string; from_event_type: string; to_service: string; to_event_type: string; bucket: number; flows: number }>(sql`
    SELECT ${typeCol} AS flow_type, ${stepCol("kf", "from_service")} AS from_service, ${stepCol("kf", "from_event_type")} AS from_event_type,
           ${stepCol("kto", "to_service")} AS to_service, ${stepCol("kto", "to_event_type")} AS to_event_type, s.bucket::int AS bucket, sum(s.flows)::float8 AS flows
    FROM ${mapped(sql`flowmap_transitions`, k, [["kf", "from_service", "from_event_type"], ["kto", "to_service", "to_event_type"]])}
    WHERE s.grain = 0 GROUP BY 1, 2, 3, 4, 5, 6`);
  const step = (r: StepKey) => ({ flow_type: r.flow_type, service: r.service, event_type: r.event_type });
  return [
    family("flowtap_flow_started_total", "counter", "Flows seen, by flow type (from the flow map's all-time aggregates; types past the top 20 are \"other\").",
      flows.map((r) => [{ flow_type: r.flow_type }, r.flows])),
    family("flowtap_flow_completed_total", "counter", "Flows that reached a terminal event, by flow type.", flows.map((r) => [{ flow_type: r.flow_type }, r.completed])),
    family("flowtap_flow_dead_lettered_total", "counter", "Flows with an event in a dead-letter topic, by flow type.", flows.map((r) => [{ flow_type: r.flow_type }, r.dlq])),
    family("flowtap_flow_step_reached_total", "counter", "Flows that reached a step (service, event type); steps past the top 50 are \"other\".",
      steps.map((r) => [step(r), r.flows])),
    family("flowtap_flow_stops", "gauge", "Flows whose latest step is this one, by status (open, completed, dlq). A gauge: a flow that moves on leaves the count.",
      stops.map((r) => [{ ...step(r), status: r.status }, r.flows])),
    family("flowtap_flow_stuck", "gauge", "Open flows whose latest event is older than FLOWTAP_STUCK_AFTER_S (and within retention), by the step they stopped after.",
      stuck.map((r) => [step(r), r.flows])),
    transitionHistogram(transitions),
  ];
}

/** Open stops old enough to be stuck: whole hours from grain 3600, the cutoff's own hour from grain 60. */
function stuckRange(o: FlowMetricsOptions): SQL {
  const cutoff = o.now.getTime() - o.stuckAfterMs;
  const hour = Math.floor(cutoff / HOUR_MS) * HOUR_MS;
  const start = Math.floor((o.now.getTime() - o.retentionDays * DAY_MS) / HOUR_MS) * HOUR_MS;
  const iso = (ms: number) => sql`${new Date(ms).toISOString()}::timestamptz`;
  return sql`s.t >= ${iso(start)} AND ((s.grain = 3600 AND s.t < ${iso(hour)}) OR (s.grain = 60 AND s.t >= ${iso(hour)} AND s.t < ${iso(cutoff)}))`;
}

type TransitionRow = { flow_type: string; from_service: string; from_event_type: string; to_service: string; to_event_type: string; bucket: number; flows: number };

/** Caps transitions at TOP_TRANSITIONS (the rest of a type → other→other) and writes one histogram per transition. */
export function transitionHistogram(rows: readonly TransitionRow[]): MetricFamily {
  const key = (r: Omit<TransitionRow, "bucket" | "flows">) => JSON.stringify([r.flow_type, r.from_service, r.from_event_type, r.to_service, r.to_event_type]);
  const totals = new Map<string, number>();
  for (const r of rows) totals.set(key(r), (totals.get(key(r)) ?? 0) + Math.max(0, r.flows));
  const top = new Set([...totals.entries()].filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, TOP_TRANSITIONS).map(([k]) => k));
  const merged = new Map<string, Map<number, number>>();
  for (const r of rows) {
    const kept = top.has(key(r));
    const k = kept ? key(r) : key({ flow_type: r.flow_type, from_service: OTHER, from_event_type: OTHER, to_service: OTHER, to_event_type: OTHER });
    if (!kept && (totals.get(key(r)) ?? 0) <= 0) continue;
    if (!merged.has(k)) merged.set(k, new Map());
    const h = merged.get(k)!;
    h.set(r.bucket, (h.get(r.bucket) ?? 0) + r.flows);
  }
  const samples: MetricSample[] = [];
  for (const [k, h] of [...merged.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const [flow_type, from_service, from_event_type, to_service, to_event_type] = JSON.parse(k) as string[];
    const labels = { flow_type: flow_type!, from_service: from_service!, from_event_type: from_event_type!, to_service: to_service!, to_event_type: to_event_type! };
    const p = toPromHistogram(h);
    [...LE_SECONDS, Infinity].forEach((le, i) => samples.push({ suffix: "_bucket", labels: { ...labels, le: formatLe(le) }, value: p.cumulative[i]! }));
    samples.push({ suffix: "_sum", labels, value: p.sum }, { suffix: "_count", labels, value: p.count });
  }
  return {
    name: "flowtap_flow_transition_seconds",
    type: "histogram",
    help: "Time between consecutive steps of a flow, from the flow map's log buckets (25 % wide) mapped onto these bounds; _sum is approximate, from each log bucket's middle.",
    samples,
  };
}
