// What the flow map must answer, by brute force over the simulated flows (the read side's oracle):
// each flow counted at the minute the tables' headers say, with the same window rule (t in
// [since, until)) and the same stuck rule (open, last minute before now − stuck threshold).
import { addTo, bucketOf, quantileMs, type Histogram } from "../../server/analysis/sketch";
import { stepKey } from "../../server/analysis/steps";
import { pathOf, variantOf, type SimFlow } from "./flowmap-api-seed";

const minute = (ms: number) => Math.floor(ms / 60_000) * 60_000;

export interface Expected {
  flows: number;
  completed: number;
  dlq: number;
  stuck: number;
  steps: Map<string, number>;
  transitions: Map<string, { flows: number; p50Ms: number | null; p95Ms: number | null }>;
  stops: Map<string, { stuck: number; dlq: number; share: number }>;
  variants: Map<string, number>;
}

export function expected(flows: readonly SimFlow[], type: string, since: number, until: number, stuckBefore: number): Expected {
  const inW = (ts: number) => minute(ts) >= since && minute(ts) < until;
  const mine = flows.filter((f) => f.type === type);
  const started = mine.filter((f) => inW(f.events[0]!.ts));
  const ended = mine.filter((f) => inW(f.events[f.events.length - 1]!.ts));
  const isStuck = (f: SimFlow) => f.status === "open" && minute(f.events[f.events.length - 1]!.ts) < stuckBefore;
  const steps = new Map<string, number>();
  const hist = new Map<string, Histogram>();
  const stops = new Map<string, { stuck: number; dlq: number; share: number }>();
  const variants = new Map<string, number>();
  for (const f of mine) {
    const firstReach = new Map<string, number>();
    for (const e of f.events) if (!firstReach.has(stepKey(e.step))) firstReach.set(stepKey(e.step), e.ts);
    for (const [k, ts] of firstReach) if (inW(ts)) steps.set(k, (steps.get(k) ?? 0) + 1);
    const linked = new Set<string>();
    for (let i = 1; i < f.events.length; i++) {
      const a = f.events[i - 1]!;
      const b = f.events[i]!;
      const key = `${stepKey(a.step)}\u001e${stepKey(b.step)}`;
      if (stepKey(a.step) === stepKey(b.step) || linked.has(key)) continue;
      linked.add(key);
      if (!inW(b.ts)) continue;
      const h = hist.get(key) ?? new Map();
      addTo(h, bucketOf(b.ts - a.ts), 1);
      hist.set(key, h);
    }
  }
  for (const f of ended) {
    const last = stepKey(f.events[f.events.length - 1]!.step);
    const s = stops.get(last) ?? { stuck: 0, dlq: 0, share: 0 };
    if (isStuck(f)) s.stuck++;
    if (f.status === "dlq") s.dlq++;
    stops.set(last, s);
  }
  for (const [k, s] of stops) {
    if (s.stuck + s.dlq === 0) stops.delete(k);
    else s.share = (s.stuck + s.dlq) / ended.length;
  }
  for (const f of started) variants.set(variantOf(pathOf(f)), (variants.get(variantOf(pathOf(f))) ?? 0) + 1);
  const transitions = new Map([...hist].map(([k, h]) => {
    let n = 0;
    for (const c of h.values()) n += c;
    return [k, { flows: n, p50Ms: quantileMs(h, 0.5), p95Ms: quantileMs(h, 0.95) }];
  }));
  return {
    flows: started.length,
    completed: started.filter((f) => f.status === "completed").length,
    dlq: started.filter((f) => f.status === "dlq").length,
    stuck: ended.filter(isStuck).length,
    steps, transitions, stops, variants,
  };
}
