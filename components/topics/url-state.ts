// The topic page's state as it stands in its URL. The URL uses the API's own parameter names
// (from, to, partition, offset, order, key, eventType, header, contains), so a link pasted into
// the incident channel and the request behind it read alike; `record` (the open record) and
// `live` (tail paused) are the page's own.

export const API_PARAMS = ["from", "to", "partition", "offset", "order", "key", "eventType", "header", "contains"] as const;
export type ApiParam = (typeof API_PARAMS)[number];
export type BrowseState = Record<ApiParam, string | null>;

export const FILTER_PARAMS = ["key", "eventType", "header", "contains"] as const;

/** Spans back from now, as the API reads `from`; the first is the API's default window. */
export const RANGE_PRESETS = [
  ["15m", "15 min"],
  ["5m", "5 min"],
  ["1h", "1 h"],
  ["6h", "6 h"],
  ["24h", "24 h"],
  ["7d", "7 d"],
] as const;
export const DEFAULT_RANGE = "15m";

const RELATIVE = /^\d{1,4}[smhd]$/;

export function stateFrom(params: { get(name: string): string | null }): BrowseState {
  return Object.fromEntries(API_PARAMS.map((n) => [n, params.get(n) || null])) as BrowseState;
}

/** The request for the first page; defaults left out so links stay short. */
export function apiParams(s: BrowseState): URLSearchParams {
  const p = new URLSearchParams();
  for (const n of API_PARAMS) {
    const v = s[n];
    if (v !== null) p.set(n, v);
  }
  return p;
}

export const isOffsetMode = (s: BrowseState) => s.offset !== null;
/** A window that ends now: new records can still arrive in it. */
export const endsNow = (s: BrowseState) => !isOffsetMode(s) && s.to === null && (s.from === null || RELATIVE.test(s.from));
/** Live tail puts new rows on top: only for newest-first windows that end now. */
export const canTail = (s: BrowseState) => endsNow(s) && s.order !== "oldest";
export const hasFilters = (s: BrowseState) => FILTER_PARAMS.some((n) => s[n] !== null);
/** The preset in effect, or null for a custom window or offset mode. */
export const presetOf = (s: BrowseState) => (endsNow(s) ? (s.from ?? DEFAULT_RANGE) : null);

/**
 * The request for records after `sinceTs` (inclusive: records sharing that time are told apart by
 * the caller), oldest first, with the same partition and filters.
 */
export function tailParams(s: BrowseState, sinceTs: string, limit: number): URLSearchParams {
  const p = apiParams({ ...s, from: sinceTs, to: null, order: "oldest" });
  p.set("limit", String(limit));
  return p;
}

/** URL changes that leave the filters and order and set the window to a preset. */
export const presetChanges = (range: string) => ({ from: range === DEFAULT_RANGE ? null : range, to: null, offset: null });
const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A custom window. A span (or the default) before a fixed `to` becomes that instant, so the From field can show it. */
export function customChanges(from: string | null, to: string | null) {
  const span = from === null ? DEFAULT_RANGE : RELATIVE.test(from) ? from : null;
  if (span !== null && to !== null && !Number.isNaN(Date.parse(to))) {
    from = new Date(Date.parse(to) - Number(span.slice(0, -1)) * UNIT_MS[span.slice(-1)]!).toISOString();
  }
  return { from, to, offset: null };
}
export const offsetChanges = (partition: string, offset: string) => ({ partition, offset, from: null, to: null });
export const clearedFilters = Object.fromEntries(FILTER_PARAMS.map((n) => [n, null])) as Record<(typeof FILTER_PARAMS)[number], null>;

export function topicUrl(topic: string, params?: URLSearchParams): string {
  const qs = params?.toString();
  return `/topics/${encodeURIComponent(topic)}${qs ? `?${qs}` : ""}`;
}
