import "server-only";
// The map's changes against the baseline: which stops and transitions changed (the pure rule in
// server/analysis/map-changes.ts), and since when. "Since" walks the window's own rows for the one
// key (hours, then the minutes around the hour the change falls in), so it costs two small reads
// per change, and only for changes: at most MAX_SINCE of them, the most significant first.
import { sql, type SQL } from "drizzle-orm";
import { HOUR_MS, type FlowTypeMap, type MapChange } from "../contract/flowmap";
import { changePoint, changeText, latencyChange, stopShareChange, transitionKey, zScore, type Counts, type Piece } from "../analysis/map-changes";
import { parseStepKey } from "../analysis/steps";
import type { Store } from "../db/client";
import type { TypeDetail } from "./read-assemble";
import { inCoverage } from "./read-rows";
import { coverage, isoOf, type Coverage, type Window } from "./read-window";

/** Each "since" is ≤ 2 reads of ≤ ~200 rows; 12 bounds an answer's extra work in an incident that changes everything. */
const MAX_SINCE = 12;

/** A change before its "since" and sentence are known. */
type Facts = { [K in MapChange["kind"]]: Omit<Extract<MapChange, { kind: K }>, "text" | "since"> }[MapChange["kind"]];

interface Candidate {
  z: number;
  change: Facts;
  /** The baseline's share: what slices before the change look like. */
  p0: number;
  /** The rows to walk for "since": k and n per time slice. */
  pieces: (c: Coverage) => SQL;
}

type PieceRow = { grain: number; t_ms: number; k: number; n: number };

async function pieces(store: Store, query: SQL): Promise<Array<Piece & { grain: number }>> {
  const rows = await store.rows<PieceRow>(query);
  return rows.map((r) => ({ grain: r.grain, t: r.t_ms, k: r.k, n: r.n }));
}

/** The change's first minute: the change point over the window's slices, refined over the minutes around an hour. */
async function sinceOf(store: Store, w: Window, stuckBeforeMs: number, c: Candidate): Promise<string | null> {
  const coarse = await pieces(store, c.pieces(coverage(w, [stuckBeforeMs])));
  const t = changePoint(coarse, c.p0);
  if (t === null) return null;
  if (coarse.find((p) => p.t === t)?.grain !== 3600) return isoOf(t);
  const around: Window = { sinceMs: Math.max(w.sinceMs, t - HOUR_MS), untilMs: Math.min(w.untilMs, t + HOUR_MS) };
  const fine = await pieces(store, c.pieces({ hours: [], minutes: [[around.sinceMs, around.untilMs]] }));
  const m = changePoint(fine, c.p0);
  return isoOf(m ?? t);
}

const sliceCols = sql`grain, (extract(epoch FROM t) * 1000)::float8 AS t_ms`;

function candidates(map: FlowTypeMap, cur: TypeDetail, base: TypeDetail, stuckBeforeMs: number): Candidate[] {
  const out: Candidate[] = [];
  const stuckBefore = sql`${isoOf(stuckBeforeMs)}::timestamptz`;
  for (const stop of map.stops) {
    if (!stop.baseline) continue;
    const now: Counts = { k: stop.flows, n: cur.stopTotal };
    const then: Counts = { k: stop.baseline.flows, n: base.stopTotal };
    const direction = stopShareChange(now, then);
    if (!direction) continue;
    const step = parseStepKey(stop.after);
    out.push({
      z: Math.abs(zScore(now, then)),
      change: { kind: "stop-share", after: stop.after, direction, share: stop.share, baselineShare: stop.baseline.share, flows: stop.flows },
      p0: stop.baseline.share,
      pieces: (c) => sql`
        SELECT ${sliceCols},
          coalesce(sum(flows) FILTER (WHERE service = ${step.service} AND event_type = ${step.eventType}
            AND (status = 'dlq' OR (status = 'open' AND t < ${stuckBefore}))), 0)::float8 AS k,
          sum(flows)::float8 AS n
        FROM flowmap_stops WHERE ${inCoverage(c)} AND flow_type = ${map.type}
        GROUP BY grain, t ORDER BY t`,
    });
  }
  for (const tr of map.transitions) {
    const key = transitionKey(tr.from, tr.to);
    const h = cur.histograms.get(key);
    const hb = base.histograms.get(key);
    const ch = h && hb ? latencyChange(h, hb) : null;
    if (!ch) continue;
    const from = parseStepKey(tr.from);
    const to = parseStepKey(tr.to);
    out.push({
      z: Math.abs(zScore(ch.cur, ch.base)),
      change: { kind: "latency", from: tr.from, to: tr.to, p95Ms: ch.p95Ms, baselineP95Ms: ch.baselineP95Ms, flows: tr.flows },
      p0: ch.base.k / ch.base.n,
      pieces: (c) => sql`
        SELECT ${sliceCols}, coalesce(sum(flows) FILTER (WHERE bucket > ${ch.bucket}), 0)::float8 AS k, sum(flows)::float8 AS n
        FROM flowmap_transitions WHERE ${inCoverage(c)} AND flow_type = ${map.type}
          AND from_service = ${from.service} AND from_event_type = ${from.eventType} AND to_service = ${to.service} AND to_event_type = ${to.eventType}
        GROUP BY grain, t ORDER BY t`,
    });
  }
  return out;
}

export interface ChangeContext {
  window: Window;
  stuckBeforeMs: number;
  baselineLabel: string;
  /** How the server's sentence writes a time (UTC); the browser re-words it in local time. */
  time: (iso: string) => string;
}

/** Fills `changes` of each type, most significant first. */
export async function addChanges(store: Store, types: Array<{ map: FlowTypeMap; cur: TypeDetail; base: TypeDetail | null }>, ctx: ChangeContext): Promise<void> {
  const all = types.flatMap((t) => (t.base ? candidates(t.map, t.cur, t.base, ctx.stuckBeforeMs).map((c) => ({ map: t.map, c })) : []));
  all.sort((a, b) => b.c.z - a.c.z);
  for (const [i, { map, c }] of all.entries()) {
    const since = i < MAX_SINCE ? await sinceOf(store, ctx.window, ctx.stuckBeforeMs, c) : null;
    const facts = { ...c.change, since } as MapChange;
    facts.text = changeText(facts, map.type, ctx.baselineLabel, ctx.time);
    map.changes.push(facts);
  }
}
