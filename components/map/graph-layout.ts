// Where the map draws a flow type (pure, unit-tested): steps left to right in their typical path
// order, transitions as edges (to the next step: a straight line; skipping steps: an arc above;
// going back: an arc below), each stop under its step.
import type { FlowTypeMap, MapStep, MapStop, MapTransition } from "@/server/contract/flowmap";

export const NODE_W = 128;
export const NODE_H = 58;
export const GAP = 88;
const PAD = 16;
const ARC_BASE = 26;
const ARC_PER_SPAN = 14;
const STOP_H = 34;

export interface NodeBox {
  step: MapStep;
  x: number;
  y: number;
  stop: MapStop | null;
}

export interface EdgePath {
  t: MapTransition;
  d: string;
  /** Where the label sits. */
  lx: number;
  ly: number;
  width: number;
  /** To the next step: a straight line with its count above and its times below. */
  straight: boolean;
}

export interface GraphLayout {
  nodes: NodeBox[];
  edges: EdgePath[];
  width: number;
  height: number;
}

/**
 * Typical path order: each step's mean position over the variants, weighted by their flows (so a
 * 60/40 split between A,B,C and A,C,B puts B first); steps on no listed variant go right after
 * the step they are most often reached from, else last.
 */
export function stepOrder(m: Pick<FlowTypeMap, "steps" | "variants" | "transitions">): string[] {
  const sum = new Map<string, { w: number; pos: number }>();
  for (const v of m.variants) {
    v.steps.forEach((id, i) => {
      const s = sum.get(id) ?? { w: 0, pos: 0 };
      s.w += v.flows;
      s.pos += v.flows * i;
      sum.set(id, s);
    });
  }
  const score = new Map<string, number>();
  for (const [id, s] of sum) if (s.w > 0) score.set(id, s.pos / s.w);
  const byFlows = [...m.steps].sort((a, b) => b.flows - a.flows || a.id.localeCompare(b.id));
  for (let pass = 0; pass < 3; pass++) {
    for (const st of byFlows) {
      if (score.has(st.id)) continue;
      const from = m.transitions.filter((t) => t.to === st.id && score.has(t.from)).sort((a, b) => b.flows - a.flows)[0];
      if (from) score.set(st.id, score.get(from.from)! + 0.5);
    }
  }
  const flows = new Map(m.steps.map((s) => [s.id, s.flows]));
  return byFlows.map((s) => s.id).sort((a, b) => (score.get(a) ?? Infinity) - (score.get(b) ?? Infinity) || (flows.get(b) ?? 0) - (flows.get(a) ?? 0));
}

/** Edge width 1.5–6 px, by the log of its flows against the busiest edge. */
function edgeWidth(flows: number, max: number): number {
  return max <= 1 ? 2 : 1.5 + 4.5 * (Math.log1p(flows) / Math.log1p(max));
}

export function layoutType(m: FlowTypeMap): GraphLayout {
  const order = stepOrder(m);
  const index = new Map(order.map((id, i) => [id, i]));
  const steps = new Map(m.steps.map((s) => [s.id, s]));
  const stops = new Map(m.stops.filter((s) => s.flows > 0 || (s.baseline?.flows ?? 0) > 0).map((s) => [s.after, s]));
  const spanOf = (t: MapTransition) => (index.get(t.to) ?? 0) - (index.get(t.from) ?? 0);
  const drawn = m.transitions.filter((t) => index.has(t.from) && index.has(t.to));
  const maxUp = Math.max(0, ...drawn.filter((t) => spanOf(t) > 1).map(spanOf));
  const maxDown = Math.max(0, ...drawn.filter((t) => spanOf(t) < 0).map((t) => -spanOf(t)));
  const top = PAD + (maxUp ? ARC_BASE + ARC_PER_SPAN * maxUp + 14 : 18);
  const nodes: NodeBox[] = order.map((id, i) => ({ step: steps.get(id)!, x: PAD + i * (NODE_W + GAP), y: top, stop: stops.get(id) ?? null }));
  const maxFlows = Math.max(1, ...drawn.map((t) => t.flows));
  const edges: EdgePath[] = drawn.map((t) => {
    const a = nodes[index.get(t.from)!]!;
    const b = nodes[index.get(t.to)!]!;
    const span = spanOf(t);
    const width = edgeWidth(t.flows, maxFlows);
    if (span === 1) {
      const [x1, x2, y] = [a.x + NODE_W, b.x, top + NODE_H / 2];
      return { t, d: `M${x1},${y} L${x2 - 6},${y}`, lx: (x1 + x2) / 2, ly: y - 8, width, straight: true };
    }
    const up = span > 0;
    const h = ARC_BASE + ARC_PER_SPAN * Math.abs(span);
    const [x1, x2] = [a.x + NODE_W / 2 + (up ? 12 : -12), b.x + NODE_W / 2 + (up ? -12 : 12)];
    const y = up ? top : top + NODE_H + STOP_H;
    const c = up ? y - h * (4 / 3) : y + h * (4 / 3);
    return { t, d: `M${x1},${y} C${x1},${c} ${x2},${c} ${x2},${y + (up ? -6 : 6)}`, lx: (x1 + x2) / 2, ly: up ? y - h - 4 : y + h + 12, width, straight: false };
  });
  const bottom = top + NODE_H + STOP_H + (maxDown ? ARC_BASE + ARC_PER_SPAN * maxDown + 18 : 0) + PAD;
  return { nodes, edges, width: PAD * 2 + order.length * (NODE_W + GAP) - GAP, height: bottom };
}
