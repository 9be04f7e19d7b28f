// Window arithmetic of the map's reads (pure; `now` comes in). A window [since, until) counts the
// aggregate rows whose t falls in it: whole hours from grain 3600, the ragged edges from grain 60,
// so 24 h reads ~24 rows per key instead of 1,440 (server/db/schema/flowmap.ts).
import { DAY_MS, MAX_WINDOW_MS, MIN_WINDOW_MS, MINUTE_MS, HOUR_MS, type CompareMode, type Since } from "../contract/flowmap";

export interface Window {
  sinceMs: number;
  untilMs: number;
}

/** Ranges of t, [from, to) in ms, to read from each grain. */
export interface Coverage {
  hours: Array<[number, number]>;
  minutes: Array<[number, number]>;
}

export class WindowError extends Error {}

/** `since` as a range counts back from `until` (default now); an instant stands as given. */
export function resolveWindow(q: { since: Since; until?: number }, nowMs: number): Window {
  const untilMs = q.until ?? nowMs;
  const sinceMs = "range" in q.since ? untilMs - q.since.range : q.since.at;
  const len = untilMs - sinceMs;
  if (len < MIN_WINDOW_MS || len > MAX_WINDOW_MS) {
    throw new WindowError(`since: the window must be 15 minutes to 7 days long (it is ${Math.round(len / MINUTE_MS)} min)`);
  }
  return { sinceMs, untilMs };
}

const SHIFT: Record<Exclude<CompareMode, "none">, (w: Window) => number> = {
  previous: (w) => w.untilMs - w.sinceMs,
  day: () => DAY_MS,
  week: () => 7 * DAY_MS,
};

/** The window compared against: as long as `w`, right before it, or a day or a week earlier. */
export function baselineOf(w: Window, compare: CompareMode): Window | null {
  if (compare === "none") return null;
  const by = SHIFT[compare](w);
  return { sinceMs: w.sinceMs - by, untilMs: w.untilMs - by };
}

/**
 * Which rows to read for `w`. An hour is read from grain 3600 when it lies wholly in the window and
 * no `break` falls strictly inside it; otherwise its minutes are read. Breaks are instants a query
 * compares t with (the stuck cutoff): an hour row straddling one could not be split.
 */
export function coverage(w: Window, breaks: readonly number[] = []): Coverage {
  const firstHour = Math.ceil(w.sinceMs / HOUR_MS) * HOUR_MS;
  const endHour = Math.floor(w.untilMs / HOUR_MS) * HOUR_MS;
  const hours: Array<[number, number]> = [];
  const minutes: Array<[number, number]> = [];
  const addMinutes = (a: number, b: number) => {
    if (b <= a) return;
    const last = minutes[minutes.length - 1];
    if (last && last[1] === a) last[1] = b;
    else minutes.push([a, b]);
  };
  const addHour = (h: number) => {
    const last = hours[hours.length - 1];
    if (last && last[1] === h) last[1] = h + HOUR_MS;
    else hours.push([h, h + HOUR_MS]);
  };
  if (firstHour >= endHour) {
    addMinutes(w.sinceMs, w.untilMs);
    return { hours, minutes };
  }
  addMinutes(w.sinceMs, firstHour);
  for (let h = firstHour; h < endHour; h += HOUR_MS) {
    if (breaks.some((b) => b > h && b < h + HOUR_MS)) addMinutes(h, h + HOUR_MS);
    else addHour(h);
  }
  addMinutes(endHour, w.untilMs);
  return { hours, minutes };
}

export const isoOf = (ms: number) => new Date(ms).toISOString();
