import "server-only";
// GET /api/flowmap: the flow map of a window against its baseline, from the aggregate tables only
// (never `events`): five grouped reads per window, then the change rule and its "since" reads.
import type { FlowMapAnswer, FlowmapQuery } from "../contract/flowmap";
import type { Store } from "../db/client";
import { assembleMap, type WindowRows } from "./read-assemble";
import { addChanges } from "./read-changes";
import { readFlowsRows, readStepRows, readStopRows, readTransitionRows, readVariantRows } from "./read-rows";
import { baselineLabel } from "../analysis/map-changes";
import { baselineOf, coverage, isoOf, resolveWindow, type Window } from "./read-window";
import { queuedEvents } from "./queued";
import { readMaintained } from "./settings";

/** Variants listed per type: the common paths; the long tail of one-off paths says little on a map. */
export const MAX_VARIANTS = 20;

export interface ReadMapInput {
  query: FlowmapQuery;
  now: Date;
  stuckAfterMs: number;
}

async function readWindow(store: Store, w: Window, stuckBeforeMs: number, type: string | undefined, full: boolean): Promise<WindowRows> {
  const c = coverage(w);
  // postgres.js runs these on pooled connections at once; PGlite queues them.
  const [flows, steps, transitions, stops, variants] = await Promise.all([
    readFlowsRows(store, c, type),
    full ? readStepRows(store, c, type) : [],
    readTransitionRows(store, c, type),
    readStopRows(store, coverage(w, [stuckBeforeMs]), stuckBeforeMs, type),
    full ? readVariantRows(store, c, MAX_VARIANTS, type) : [],
  ]);
  return { flows, steps, transitions, stops, variants };
}

/** "14:02 UTC", with the date when the window is longer than a day. */
function utcTime(w: Window): (iso: string) => string {
  const withDate = w.untilMs - w.sinceMs > 86_400_000;
  return (iso) => `${withDate ? `${iso.slice(5, 10)} ` : ""}${iso.slice(11, 16)} UTC`;
}

export async function readFlowMap(store: Store, input: ReadMapInput): Promise<FlowMapAnswer> {
  const nowMs = input.now.getTime();
  const w = resolveWindow(input.query, nowMs);
  const b = baselineOf(w, input.query.compare);
  const stuckBeforeMs = nowMs - input.stuckAfterMs;
  const [cur, base, queued, maintained] = await Promise.all([
    readWindow(store, w, stuckBeforeMs, input.query.type, true),
    b ? readWindow(store, b, stuckBeforeMs, input.query.type, false) : null,
    queuedEvents(store),
    readMaintained(store),
  ]);
  const types = assembleMap(cur, base);
  if (b) {
    await addChanges(store, types, { window: w, stuckBeforeMs, baselineLabel: baselineLabel(w.untilMs - w.sinceMs, input.query.compare), time: utcTime(w) });
  }
  return {
    window: { since: isoOf(w.sinceMs), until: isoOf(w.untilMs) },
    maintained,
    baseline: b && input.query.compare !== "none" ? { since: isoOf(b.sinceMs), until: isoOf(b.untilMs), compare: input.query.compare } : null,
    stuckBefore: isoOf(stuckBeforeMs),
    queued,
    flowTypes: types.map((t) => t.map),
  };
}
