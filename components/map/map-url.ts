// The map's state in the URL (?range=&compare=&sel=…), so a link pasted into the incident channel
// opens the same map with the same flows listed. Pure.
import { COMPARE_MODES, DEFAULT_MAP_RANGE, MAP_RANGES, type CompareMode } from "@/server/contract/flowmap";

export type MapRange = (typeof MAP_RANGES)[number];

export type Selection =
  | { kind: "step"; type: string; step: string }
  | { kind: "transition"; type: string; from: string; to: string }
  | { kind: "stop"; type: string; after: string }
  | { kind: "variant"; type: string; variant: string };

interface Params {
  get(name: string): string | null;
}

export function parseMapRange(s: string | null): MapRange {
  return (MAP_RANGES as readonly string[]).includes(s ?? "") ? (s as MapRange) : DEFAULT_MAP_RANGE;
}

export function parseCompare(s: string | null): CompareMode {
  return (COMPARE_MODES as readonly string[]).includes(s ?? "") ? (s as CompareMode) : "previous";
}

export function parseSelection(p: Params): Selection | null {
  const type = p.get("ft");
  const kind = p.get("sel");
  const [step, from, to, after, variant] = ["step", "from", "to", "stop", "variant"].map((n) => p.get(n));
  if (!type) return null;
  if (kind === "step" && step) return { kind, type, step };
  if (kind === "transition" && from && to) return { kind, type, from, to };
  if (kind === "stop" && after) return { kind, type, after };
  if (kind === "variant" && variant) return { kind, type, variant };
  return null;
}

/** URL changes that select `sel` (null: clear the selection). */
export function selectionParams(sel: Selection | null): Record<string, string | null> {
  return {
    sel: sel?.kind ?? null,
    ft: sel?.type ?? null,
    step: sel?.kind === "step" ? sel.step : null,
    from: sel?.kind === "transition" ? sel.from : null,
    to: sel?.kind === "transition" ? sel.to : null,
    stop: sel?.kind === "stop" ? sel.after : null,
    variant: sel?.kind === "variant" ? sel.variant : null,
  };
}

export function sameSelection(a: Selection | null, b: Selection | null): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
