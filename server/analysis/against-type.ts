// How one flow differs from its type's most common path, in words (pure): missing steps, steps it
// never reached, steps not on the path, repeated steps, steps out of order, and transitions much
// slower than the type's p95. "Much slower": over 1.5 × the p95 and by ≥ 200 ms, against a p95 of
// ≥ 20 samples (fewer make the p95 little more than their maximum).
import type { AgainstTypeFinding } from "../contract/against-type";
import type { LatencyStats } from "../contract/flowmap";
import type { FlowTransition } from "./flow-contribution";
import { formatMs, formatPercent, stepName, transitionKey } from "./map-changes";

export const SLOW_FACTOR = 1.5;
export const SLOW_MIN_MS = 200;
export const MIN_SAMPLES = 20;

export interface AgainstTypeInput {
  type: string;
  /** The flow's step keys in order (flowmap_members.path). */
  path: readonly string[];
  status: "open" | "completed" | "dlq";
  stuck: boolean;
  common: { steps: readonly string[]; flows: number; share: number } | null;
  transitions: readonly FlowTransition[];
  /** The type's latency per transition, keyed from + U+001E + to. */
  latency: ReadonlyMap<string, LatencyStats>;
}

const names = (keys: readonly string[]) => keys.map(stepName).join(", ");

function counts(keys: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
  return m;
}

/** Indexes into `seq` of a longest strictly increasing subsequence (O(n²): paths are short). */
function longestIncreasing(seq: readonly number[]): Set<number> {
  const len = seq.map(() => 1);
  const prev = seq.map(() => -1);
  for (let i = 0; i < seq.length; i++) {
    for (let j = 0; j < i; j++) if (seq[j]! < seq[i]! && len[j]! + 1 > len[i]!) [len[i], prev[i]] = [len[j]! + 1, j];
  }
  let at = len.indexOf(Math.max(0, ...len));
  const keep = new Set<number>();
  for (; at >= 0; at = prev[at]!) keep.add(at);
  return keep;
}

function pathFindings(input: AgainstTypeInput, common: readonly string[]): AgainstTypeFinding[] {
  const out: AgainstTypeFinding[] = [];
  const pos = new Map<string, number>();
  common.forEach((k, i) => pos.has(k) || pos.set(k, i));
  const mine = counts(input.path);
  const theirs = counts(common);
  const firsts = [...mine.keys()];
  const onPath = firsts.filter((k) => pos.has(k));
  const lastMatched = Math.max(-1, ...onPath.map((k) => pos.get(k)!));
  const missing = common.filter((k, i) => !mine.has(k) && pos.get(k) === i);
  const skipped = missing.filter((k) => pos.get(k)! < lastMatched);
  const after = missing.filter((k) => pos.get(k)! > lastMatched);
  if (skipped.length) out.push({ kind: "missing", step: skipped[0], text: `Skipped ${names(skipped)}, which the common path has before ${stepName(common[lastMatched]!)}` });
  if (after.length) {
    const text =
      input.status === "completed" ? `Completed without ${names(after)}`
      : input.status === "open" && !input.stuck ? `Has not reached ${names(after)} yet`
      : `Never reached ${names(after)}: the common path goes on to ${after.length === 1 ? "it" : "them"}`;
    out.push({ kind: "not-reached", step: after[0], text });
  }
  const extra = firsts.filter((k) => !pos.has(k));
  if (extra.length) out.push({ kind: "extra", step: extra[0], text: `${names(extra)} ${extra.length === 1 ? "is" : "are"} not on the common path` });
  for (const [k, n] of mine) {
    const usual = theirs.get(k) ?? 0;
    if (n > Math.max(1, usual)) out.push({ kind: "repeated", step: k, text: `${stepName(k)} ${n} times${usual ? ` (${usual} on the common path)` : ""}` });
  }
  const order = longestIncreasing(onPath.map((k) => pos.get(k)!));
  onPath.forEach((k, i) => {
    if (order.has(i)) return;
    const j = onPath.findIndex((r, x) => order.has(x) && (x > i ? pos.get(r)! < pos.get(k)! : pos.get(r)! > pos.get(k)!));
    if (j < 0) return;
    const other = stepName(onPath[j]!);
    const text = j > i ? `${stepName(k)} came before ${other}; the common path has it after` : `${stepName(k)} came after ${other}; the common path has it before`;
    out.push({ kind: "out-of-order", step: k, text });
  });
  return out;
}

function slowFindings(input: AgainstTypeInput): AgainstTypeFinding[] {
  const worst = new Map<string, FlowTransition>();
  for (const t of input.transitions) {
    const key = transitionKey(t.from, t.to);
    if ((worst.get(key)?.ms ?? -Infinity) < t.ms) worst.set(key, t);
  }
  const out: AgainstTypeFinding[] = [];
  for (const [key, t] of worst) {
    const stats = input.latency.get(key);
    if (!stats || stats.flows < MIN_SAMPLES || stats.p95Ms === null) continue;
    if (t.ms > SLOW_FACTOR * stats.p95Ms && t.ms - stats.p95Ms >= SLOW_MIN_MS) {
      out.push({ kind: "slower", step: t.to, text: `${stepName(t.from)} → ${stepName(t.to)} took ${formatMs(t.ms)}; the type's p95 is ${formatMs(stats.p95Ms)}` });
    }
  }
  return out;
}

export function compareWithType(input: AgainstTypeInput): { findings: AgainstTypeFinding[]; summary: string } {
  const findings: AgainstTypeFinding[] = [];
  const last = input.path[input.path.length - 1];
  if (input.status === "dlq") findings.push({ kind: "dead-letter", step: last, text: `Ended in a dead letter${last ? ` after ${stepName(last)}` : ""}` });
  else if (input.stuck) findings.push({ kind: "stuck", step: last, text: `Stuck${last ? ` after ${stepName(last)}` : ""}: open, and no event for longer than the stuck threshold` });
  if (!input.common) return { findings, summary: `No common path of ${input.type} flows in the last 24 h to compare with.` };
  const differences = [...pathFindings(input, input.common.steps), ...slowFindings(input)];
  findings.push(...differences);
  const of = `the most common path of ${input.type} flows (${formatPercent(input.common.share)} of them)`;
  const summary = differences.length === 0 ? `Follows ${of}.` : `Differs from ${of} in ${differences.length} way${differences.length === 1 ? "" : "s"}.`;
  return { findings, summary };
}
