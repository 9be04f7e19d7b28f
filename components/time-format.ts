// Pure time formatting shared by every page. Relative times are for scanning, absolute times
// for pasting into an incident channel, so the UI always shows both.

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A span of time, coarse to fine with two units at most: "340 ms", "1.2 s", "2 min 5 s", "3 d 4 h". */
export function formatDuration(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < SECOND) return `${Math.round(abs)} ms`;
  if (abs < 10 * SECOND) return `${(Math.floor(abs / 100) / 10).toFixed(1)} s`;
  if (abs < MINUTE) return `${Math.floor(abs / SECOND)} s`;
  const pair = (big: number, bigUnit: string, small: number, smallUnit: string) => {
    const b = Math.floor(abs / big);
    const s = Math.floor((abs % big) / small);
    return s > 0 ? `${b} ${bigUnit} ${s} ${smallUnit}` : `${b} ${bigUnit}`;
  };
  if (abs < HOUR) return pair(MINUTE, "min", SECOND, "s");
  if (abs < DAY) return pair(HOUR, "h", MINUTE, "min");
  return pair(DAY, "d", HOUR, "h");
}

/** The label between two consecutive steps: "+1.2 s". */
export function formatGap(ms: number): string {
  return `${ms < 0 ? "−" : "+"}${formatDuration(ms)}`;
}

/** "just now", "12 s ago", "5 min ago"; producer clocks can run ahead, hence "in 3 s". */
export function formatRelative(iso: string, now: number): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return "unknown time";
  const diff = now - t;
  if (Math.abs(diff) < 2 * SECOND) return "just now";
  const coarse = (ms: number) => {
    if (ms < MINUTE) return `${Math.floor(ms / SECOND)} s`;
    if (ms < HOUR) return `${Math.floor(ms / MINUTE)} min`;
    if (ms < DAY) return `${Math.floor(ms / HOUR)} h`;
    return `${Math.floor(ms / DAY)} d`;
  };
  return diff > 0 ? `${coarse(diff)} ago` : `in ${coarse(-diff)}`;
}

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

/** Local wall-clock time with milliseconds and the date: "2026-04-25 11:52:39.340". */
export function formatLocal(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${formatLocalClock(iso)}`;
}

/** Local time of day with milliseconds: "11:52:39.340". */
export function formatLocalClock(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** UTC in ISO form, the one log search tools accept: "2026-04-25T09:52:39.340Z". */
export function formatUtc(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString();
}
