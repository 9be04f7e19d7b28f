// Pure shaping of /api/lag answers for the lag pages: URL params, chart rows, sparkline paths,
// time ticks, markers and partition order. No React, no recharts: unit-tested on its own.
import type { LagStatus } from "@/server/lag/status";
import type { LagMarker, LagSeriesPoint, PartitionLag, PartitionSeries } from "./lag-api";
import { formatDuration as formatMs } from "../time-format";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const LAG_RANGES = ["15m", "1h", "6h", "24h", "7d"] as const;
export type LagRange = (typeof LAG_RANGES)[number];
export const DEFAULT_RANGE: LagRange = "1h";
const RANGE_MS: Record<LagRange, number> = { "15m": 15 * MINUTE, "1h": HOUR, "6h": 6 * HOUR, "24h": DAY, "7d": 7 * DAY };

/** `?range=` from a pasted link; anything unknown falls back to the default rather than failing the page. */
export function parseRange(raw: string | null): LagRange {
  return LAG_RANGES.find((r) => r === raw) ?? DEFAULT_RANGE;
}

export type DetailMode = "topic" | "partition";
export const parseDetail = (raw: string | null): DetailMode => (raw === "partition" ? "partition" : "topic");

/** Mildest to worst: the same order as server/lag/status.ts LAG_STATUSES (a value import is not allowed here; a test compares them). */
export const STATUS_ORDER: readonly LagStatus[] = ["OK", "WARN", "STALL", "REWIND", "STOP", "ERR"];

export type StatusTone = "ok" | "warn" | "stuck" | "stop" | "err";
/** STALL and REWIND share a colour: both need a person, neither means nobody is consuming. */
export const STATUS_TONE: Record<LagStatus, StatusTone> = { OK: "ok", WARN: "warn", STALL: "stuck", REWIND: "stuck", STOP: "stop", ERR: "err" };

/** Worst status first, then topic and partition: a table polled live only reorders when a status changes. */
export function sortPartitions(partitions: readonly PartitionLag[]): PartitionLag[] {
  const rank = (p: PartitionLag) => STATUS_ORDER.indexOf(p.status);
  return [...partitions].sort((a, b) => rank(b) - rank(a) || (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : 0) || a.partition - b.partition);
}

/** Offset lag for a table cell; null means the group never committed there, which is not 0. */
export function formatLag(lag: number | null): string {
  return lag === null ? "no commit" : lag.toLocaleString("en-US");
}

/** Seconds behind, two units at most: "4 min 12 s", "3 h 5 min", "2 d 1 h". */
export function formatDuration(seconds: number | null): string {
  if (seconds === null) return "no commit";
  if (seconds <= 0) return "0 s";
  if (seconds < 1) return "< 1 s";
  const s = Math.round(seconds);
  // Whole seconds below a minute; past it, the app's usual "4 min 12 s".
  return s < 60 ? `${s} s` : formatMs(s * 1000);
}

const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });
/** Y-axis ticks of offset lag: "950", "1.2K", "3.4M". */
export const formatCount = (n: number): string => compact.format(n);

const UNITS: Array<[number, string]> = [[86_400, "d"], [3600, "h"], [60, "min"], [1, "s"]];

/** Y-axis ticks of seconds behind, one unit, whole minutes or more where they fit: "30 s", "2.5 min", "75 min", "2 h". */
export function formatAxisSeconds(seconds: number): string {
  if (seconds === 0) return "0";
  const whole = UNITS.find(([u]) => u >= 60 && seconds >= u && seconds % u === 0);
  if (whole) return `${seconds / whole[0]} ${whole[1]}`;
  const [u, name] = UNITS.find(([unit]) => seconds >= unit) ?? [1, "s"];
  return `${Math.round((seconds / u) * 10) / 10} ${name}`;
}

const SECOND_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400, 172_800, 604_800];

/** Y-axis ticks for seconds behind on round durations (every 5 min, every 2 h…) from 0 past `max`; recharts' decimal ticks give "4.3 min". */
export function secondsTicks(max: number, maxTicks = 5): number[] {
  const step = SECOND_STEPS.find((s) => Math.ceil(max / s) <= maxTicks) ?? 604_800 * Math.ceil(max / 604_800 / maxTicks);
  const top = Math.max(1, Math.ceil(max / step));
  return Array.from({ length: top + 1 }, (_, i) => i * step);
}

/** The sampler should have ticked again: three intervals and some slack passed without a sample. */
export function sampleIsStale(sampledAt: string, intervalS: number, now: number): boolean {
  // now is 0 while rendering on the server (useNow): no clock, no claim.
  return now !== 0 && now - Date.parse(sampledAt) > 3 * intervalS * 1000 + 5_000;
}

/** The charts' time window: the chosen range, ending at the sampler's latest tick (the server's "now"). */
export function chartDomain(sampledAt: string, range: LagRange): [number, number] {
  const to = Date.parse(sampledAt);
  return [to - RANGE_MS[range], to];
}

const SPARKLINE_MIN_SCALE = 10;

/**
 * An SVG path of offset lag over [fromMs, toMs], scaled to width × height with 0 at the bottom and
 * the peak (at least SPARKLINE_MIN_SCALE records) at the top.
 * A point without a value (no commit) breaks the line, so a gap stays a gap; a lone point is a
 * zero-length segment ("h0"), which a round line cap draws as a dot. "" when nothing is known.
 */
export function sparklinePath(series: readonly LagSeriesPoint[], width: number, height: number, fromMs: number, toMs: number): string {
  const inRange = series.map((p) => ({ t: Date.parse(p.t), lag: p.lag })).filter((p) => p.t >= fromMs && p.t <= toMs);
  // A record or two in flight is normal; scaled to its own peak it would look like an incident.
  const max = Math.max(SPARKLINE_MIN_SCALE, ...inRange.map((p) => p.lag ?? 0));
  const pad = 1.5; // half the stroke width, so a flat line at 0 or at the peak is not clipped
  const round = (v: number) => Math.round(v * 10) / 10;
  const span = toMs - fromMs || 1;
  let d = "";
  let inRun = false;
  let runLength = 0;
  for (const p of inRange) {
    if (p.lag === null) {
      if (runLength === 1) d += "h0";
      inRun = false;
      runLength = 0;
      continue;
    }
    const x = round(((p.t - fromMs) / span) * width);
    const y = round(height - pad - (p.lag / max) * (height - 2 * pad));
    d += `${inRun ? "L" : "M"}${x},${y}`;
    inRun = true;
    runLength++;
  }
  if (runLength === 1) d += "h0";
  return d;
}

interface ChartLine {
  /** A generated key ("s0", "s1", …): topic names never become object keys or recharts paths. */
  key: string;
  label: string;
}
/** One instant: `t` in ms, then per line `lag_<key>` and `time_<key>`; absent or null is a gap. */
type ChartRow = { t: number } & Record<string, number | null>;
export interface ChartData {
  /** "total" when the answer had no partition series to split by. */
  by: DetailMode | "total";
  lines: ChartLine[];
  rows: ChartRow[];
  /** Lines left out to keep the chart readable (the ones with the lowest peak lag). */
  hidden: number;
  /** The highest time lag on the shown lines, for the seconds axis' ticks; 0 when none is known. */
  maxTimeLag: number;
}

interface Track {
  label: string;
  points: Map<number, { lag: number | null; timeLag: number | null }>;
}

/** Adds one point into a track: offset lag sums over partitions, time lag takes the max (adding seconds means nothing). */
function merge(track: Track, p: LagSeriesPoint): void {
  const t = Date.parse(p.t);
  const acc = track.points.get(t);
  if (!acc) {
    track.points.set(t, { lag: p.lag, timeLag: p.timeLag });
    return;
  }
  if (p.lag !== null) acc.lag = (acc.lag ?? 0) + p.lag;
  if (p.timeLag !== null) acc.timeLag = Math.max(acc.timeLag ?? 0, p.timeLag);
}

function tracksOf(series: readonly LagSeriesPoint[], partitionSeries: readonly PartitionSeries[] | undefined, mode: DetailMode): Track[] {
  if (!partitionSeries?.length) {
    const total: Track = { label: "group total", points: new Map() };
    for (const p of series) merge(total, p);
    return [total];
  }
  const byLabel = new Map<string, Track>();
  const ordered = [...partitionSeries].sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition));
  for (const ps of ordered) {
    const label = mode === "topic" ? ps.topic : `${ps.topic}/${ps.partition}`;
    let track = byLabel.get(label);
    if (!track) byLabel.set(label, (track = { label, points: new Map() }));
    for (const p of ps.points) merge(track, p);
  }
  return [...byLabel.values()];
}

/**
 * Rows for the offset-lag and seconds-behind charts: one line per topic (partitions summed for
 * lag, max for time lag), per partition, or the group total when the answer has no partition
 * series. More than `maxLines` lines are unreadable, so only the ones with the highest peak lag
 * are kept; kept lines stay in topic/partition order so their colours hold still between polls.
 */
export function toChartRows(
  series: readonly LagSeriesPoint[],
  partitionSeries: readonly PartitionSeries[] | undefined,
  mode: DetailMode,
  maxLines = 12,
): ChartData {
  const tracks = tracksOf(series, partitionSeries, mode);
  const peak = (tr: Track) => Math.max(-1, ...[...tr.points.values()].map((p) => p.lag ?? -1));
  const kept = new Set([...tracks].sort((a, b) => peak(b) - peak(a)).slice(0, maxLines));
  const shown = tracks.filter((tr) => kept.has(tr));
  const lines = shown.map((tr, i) => ({ key: `s${i}`, label: tr.label }));
  const rows = new Map<number, ChartRow>();
  let maxTimeLag = 0;
  shown.forEach((tr, i) => {
    for (const [t, p] of tr.points) {
      maxTimeLag = Math.max(maxTimeLag, p.timeLag ?? 0);
      let row = rows.get(t);
      if (!row) rows.set(t, (row = { t } as ChartRow));
      row[`lag_s${i}`] = p.lag;
      row[`time_s${i}`] = p.timeLag;
    }
  });
  const by = partitionSeries?.length ? mode : "total";
  return { by, lines, rows: [...rows.values()].sort((a, b) => a.t - b.t), hidden: tracks.length - shown.length, maxTimeLag };
}

export interface ChartMarker {
  t: number;
  kind: LagMarker["kind"];
  detail: string;
  /** Drawn next to the line; null where it would run into a newer marker's label. */
  label: string | null;
  /** Which side of the line the label sits on: left in the right half, so it is not cut at the edge. */
  side: "left" | "right";
}

/**
 * The markers inside the chart's window, oldest first. Labels need about a quarter of the width,
 * so a marker is labelled only when no labelled newer one is that close; the newest wins, being
 * what the on-call engineer is looking at. The list under the charts names all of them.
 */
export function chartMarkers(markers: readonly LagMarker[] | undefined, fromMs: number, toMs: number, minGap = 0.25): ChartMarker[] {
  const inRange = (markers ?? [])
    .map((m) => ({ t: Date.parse(m.t), kind: m.kind, detail: m.detail }))
    .filter((m) => m.t >= fromMs && m.t <= toMs)
    .sort((a, b) => a.t - b.t);
  const cut = (s: string) => (s.length > 24 ? `${s.slice(0, 23)}…` : s);
  let lastLabelled = Infinity;
  const out: ChartMarker[] = [];
  for (const m of inRange.reverse()) {
    const room = lastLabelled - m.t >= minGap * (toMs - fromMs);
    if (room) lastLabelled = m.t;
    const side = m.t > (fromMs + toMs) / 2 ? "left" : "right";
    out.unshift({ ...m, label: room ? (m.kind === "rebalance" ? "rebalance" : cut(m.detail)) : null, side });
  }
  return out;
}

const TICK_STEPS = [MINUTE, 2 * MINUTE, 5 * MINUTE, 10 * MINUTE, 15 * MINUTE, 30 * MINUTE, HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY];

/**
 * X-axis ticks on round local times (every 10 min, every 3 h, each midnight…), at most
 * `maxTicks`. Counted from local midnight, so on a DST change day hour ticks may sit an hour off.
 */
export function timeTicks(fromMs: number, toMs: number, maxTicks = 8): { ticks: number[]; step: number } {
  const step = TICK_STEPS.find((s) => (toMs - fromMs) / s <= maxTicks) ?? DAY;
  const midnight = new Date(fromMs);
  midnight.setHours(0, 0, 0, 0);
  const ticks: number[] = [];
  for (let t = midnight.getTime() + Math.ceil((fromMs - midnight.getTime()) / step) * step; t <= toMs; t += step) ticks.push(t);
  return { ticks, step };
}

const pad2 = (n: number) => String(n).padStart(2, "0");
/** "14:30" for ticks within a day, "04-25" for daily ticks (local time). */
export function timeTickLabel(t: number, step: number): string {
  const d = new Date(t);
  return step >= DAY ? `${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}` : `${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
}
