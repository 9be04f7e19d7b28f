// Aggregate rows → the map's per-type answer (pure). Shares: a stop's share is its flows over the
// type's flows whose last event falls in the window (each flow counted once, at its last event, so
// the shares of a type add up to ≤ 1); a variant's share is over the flows that started in it.
import type { FlowTypeMap, LatencyStats, MapStep, MapStop, MapTransition, MapVariant, StopCounts, TypeTotals } from "../contract/flowmap";
import { addTo, quantileMs, type Histogram } from "../analysis/sketch";
import { splitTransitionKey, transitionKey } from "../analysis/map-changes";
import { stepKey } from "../analysis/steps";
import type { FlowsRow, StepRow, StopRow, TransitionRow, VariantRow } from "./read-rows";

export interface WindowRows {
  flows: FlowsRow[];
  steps: StepRow[];
  transitions: TransitionRow[];
  stops: StopRow[];
  variants: VariantRow[];
}

/** What the change rule needs beside the answer: histograms and stop counts per key. */
export interface TypeDetail {
  histograms: Map<string, Histogram>;
  stopTotal: number;
}

function group<T extends { flow_type: string }>(rows: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const list = out.get(r.flow_type);
    if (list) list.push(r);
    else out.set(r.flow_type, [r]);
  }
  return out;
}

export function histogramsOf(rows: readonly TransitionRow[]): Map<string, Histogram> {
  const out = new Map<string, Histogram>();
  for (const r of rows) {
    const key = transitionKey(stepKey({ service: r.from_service, eventType: r.from_event_type }), stepKey({ service: r.to_service, eventType: r.to_event_type }));
    let h = out.get(key);
    if (!h) out.set(key, (h = new Map()));
    if (r.flows > 0) addTo(h, r.bucket, r.flows);
  }
  return out;
}

export function latencyOf(h: Histogram | undefined): LatencyStats {
  let flows = 0;
  for (const c of h?.values() ?? []) flows += c;
  return { flows, p50Ms: h ? quantileMs(h, 0.5) : null, p95Ms: h ? quantileMs(h, 0.95) : null };
}

interface StopAcc { stuck: number; dlq: number }

function stopsOf(rows: readonly StopRow[]): { byStep: Map<string, StopAcc>; total: number; stuck: number } {
  const byStep = new Map<string, StopAcc>();
  let total = 0;
  let stuck = 0;
  for (const r of rows) {
    total += r.flows;
    stuck += r.stuck;
    const key = stepKey({ service: r.service, eventType: r.event_type });
    const acc = byStep.get(key) ?? { stuck: 0, dlq: 0 };
    acc.stuck += r.stuck;
    if (r.status === "dlq") acc.dlq += r.flows;
    byStep.set(key, acc);
  }
  return { byStep, total, stuck };
}

const share = (k: number, n: number) => (n > 0 ? k / n : 0);
const stopCounts = (acc: StopAcc | undefined, total: number): StopCounts => {
  const flows = (acc?.stuck ?? 0) + (acc?.dlq ?? 0);
  return { flows, stuck: acc?.stuck ?? 0, dlq: acc?.dlq ?? 0, share: share(flows, total) };
};

function totals(flows: FlowsRow | undefined, stuck: number): TypeTotals {
  return { flows: flows?.flows ?? 0, completed: flows?.completed ?? 0, stuck, dlq: flows?.dlq ?? 0 };
}

/** The map's types, most flows first, without `changes` (read-changes.ts adds them). */
export function assembleMap(cur: WindowRows, base: WindowRows | null): Array<{ map: FlowTypeMap; cur: TypeDetail; base: TypeDetail | null }> {
  const types = new Set([...cur.flows, ...cur.steps, ...cur.stops, ...cur.transitions].map((r) => r.flow_type));
  const g = { flows: group(cur.flows), steps: group(cur.steps), transitions: group(cur.transitions), stops: group(cur.stops), variants: group(cur.variants) };
  const b = base && { flows: group(base.flows), transitions: group(base.transitions), stops: group(base.stops) };
  const out = [...types].map((type) => {
    const stops = stopsOf(g.stops.get(type) ?? []);
    const baseStops = b && stopsOf(b.stops.get(type) ?? []);
    const hist = histogramsOf(g.transitions.get(type) ?? []);
    const baseHist = b && histogramsOf(b.transitions.get(type) ?? []);
    const t = totals(g.flows.get(type)?.[0], stops.stuck);
    const steps: MapStep[] = (g.steps.get(type) ?? []).filter((r) => r.flows > 0).map((r) => ({
      id: stepKey({ service: r.service, eventType: r.event_type }), service: r.service, eventType: r.event_type,
      flows: r.flows, dlq: r.dlq, duplicates: r.duplicates, outOfOrder: r.out_of_order,
    }));
    const transitions: MapTransition[] = [...hist].filter(([, h]) => h.size > 0).map(([key, h]) => {
      const [from, to] = splitTransitionKey(key);
      const baseline = baseHist?.get(key);
      return { from, to, ...latencyOf(h), ...(b ? { baseline: latencyOf(baseline) } : {}) };
    });
    const stopKeys = new Set([...stops.byStep.keys(), ...(baseStops?.byStep.keys() ?? [])]);
    const stopList: MapStop[] = [...stopKeys].map((after) => ({
      after, ...stopCounts(stops.byStep.get(after), stops.total),
      ...(baseStops ? { baseline: stopCounts(baseStops.byStep.get(after), baseStops.total) } : {}),
    })).filter((s) => s.flows > 0 || (s.baseline?.flows ?? 0) > 0);
    const variants: MapVariant[] = (g.variants.get(type) ?? []).map((v) => ({
      id: v.variant, steps: variantSteps(v.steps), flows: v.flows, share: share(v.flows, t.flows),
    }));
    const map: FlowTypeMap = {
      type, ...t, ...(b ? { baseline: totals(b.flows.get(type)?.[0], baseStops!.stuck) } : {}),
      steps: steps.sort((x, y) => y.flows - x.flows || x.id.localeCompare(y.id)),
      transitions: transitions.sort((x, y) => y.flows - x.flows || x.from.localeCompare(y.from) || x.to.localeCompare(y.to)),
      stops: stopList.sort((x, y) => y.flows - x.flows || x.after.localeCompare(y.after)),
      variants: variants.sort((x, y) => y.flows - x.flows || x.id.localeCompare(y.id)),
      changes: [],
    };
    return { map, cur: { histograms: hist, stopTotal: stops.total }, base: baseHist ? { histograms: baseHist, stopTotal: baseStops!.total } : null };
  });
  return out.sort((x, y) => y.map.flows - x.map.flows || x.map.type.localeCompare(y.map.type));
}

/** flowmap_variants.steps is [[service, eventType], …]; a step key each. */
export function variantSteps(json: string): string[] {
  try {
    const v: unknown = JSON.parse(json);
    if (!Array.isArray(v)) return [];
    return v.map((s) => (Array.isArray(s) ? stepKey({ service: String(s[0] ?? ""), eventType: String(s[1] ?? "") }) : String(s)));
  } catch {
    return [];
  }
}
