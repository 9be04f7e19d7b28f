// The flow map's HTTP contract: query schemas the routes parse with, and the answer shapes the
// client hooks read. Pure (zod only): the browser imports it at runtime for the pickers' values.
// The clock is not read here: a range ("1h") is resolved against `now` by the server
// (server/flowmap/read-window.ts), so parsing stays a function of the query alone.
import { z } from "zod";
import { rangeMs } from "./fields";

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
/** The map's window: at least 15 minutes (a p95 of fewer minutes is mostly noise), at most 7 days (the index's default retention). */
export const MIN_WINDOW_MS = 15 * MINUTE_MS;
export const MAX_WINDOW_MS = 7 * DAY_MS;

/** The window picker's choices; any `\d+(m|h|d)` within the limits is accepted too. */
export const MAP_RANGES = ["15m", "1h", "6h", "24h", "7d"] as const;
export const DEFAULT_MAP_RANGE = "1h";
export const COMPARE_MODES = ["previous", "day", "week", "none"] as const;
export type CompareMode = (typeof COMPARE_MODES)[number];

// PostgreSQL's timestamptz and JavaScript's Date agree on 0001…9999; the index holds 1970… (the extractor clamps).
const EARLIEST = Date.UTC(1970, 0, 1);
const LATEST = Date.UTC(9999, 0, 1);

/** A range back from `until` ("1h") or an instant (ISO 8601). */
export type Since = { range: number } | { at: number };

export { rangeMs };

function instantMs(s: string): number | null {
  if (!/^\d{4}-\d\d-\d\d(T[\d:.]+(Z|[+-]\d\d:?\d\d)?)?$/.test(s)) return null;
  const ms = Date.parse(s);
  return Number.isNaN(ms) || ms < EARLIEST || ms >= LATEST ? null : ms;
}

const since = z
  .string()
  .max(40)
  .default(DEFAULT_MAP_RANGE)
  .transform((s, ctx): Since => {
    const r = rangeMs(s);
    if (r !== null && r >= MIN_WINDOW_MS && r <= MAX_WINDOW_MS) return { range: r };
    const at = r === null ? instantMs(s) : null;
    if (at !== null) return { at };
    ctx.addIssue({ code: "custom", message: "must be a range from 15m to 7d (15m, 1h, 24h, 7d) or an ISO 8601 time" });
    return z.NEVER;
  });

const until = z
  .string()
  .max(40)
  .transform((s, ctx) => {
    const at = instantMs(s);
    if (at !== null) return at;
    ctx.addIssue({ code: "custom", message: "must be an ISO 8601 time" });
    return z.NEVER;
  });

const name = (max: number) => z.string().min(1, "must not be empty").max(max, `is longer than ${max} characters`);

export const flowmapQuery = z.object({
  since,
  until: until.optional(),
  type: name(500).optional(),
  compare: z.enum(COMPARE_MODES).default("previous"),
});
export type FlowmapQuery = z.infer<typeof flowmapQuery>;

/** What a flow list can be narrowed to; "stopped" is stuck or dead-lettered (what the map's stops count). */
export const MAP_FLOW_STATUSES = ["all", "stopped", "stuck", "dlq", "open", "completed"] as const;
export type MapFlowStatus = (typeof MAP_FLOW_STATUSES)[number];

export const flowmapFlowsQuery = z
  .object({
    type: name(500),
    step: name(1000).optional(),
    from: name(1000).optional(),
    to: name(1000).optional(),
    stop: name(1000).optional(),
    status: z.enum(MAP_FLOW_STATUSES).default("all"),
    variant: name(200).optional(),
    since,
    until: until.optional(),
    cursor: z.string().max(2000).optional(),
    limit: z.coerce.number({ error: "must be a number" }).int().min(1).max(200).default(50),
  })
  .refine((q) => (q.from === undefined) === (q.to === undefined), { message: "from and to name a transition together", path: ["to"] });
export type FlowmapFlowsQuery = z.infer<typeof flowmapFlowsQuery>;

// ---- Answers ----

export interface MapWindow {
  since: string;
  until: string;
}

export interface MapBaseline extends MapWindow {
  compare: Exclude<CompareMode, "none">;
}

/** A step's id is its key: service, U+001F, event type (server/analysis/steps.ts). */
export interface MapStep {
  id: string;
  service: string;
  eventType: string;
  /** Flows that reached the step in the window (at the minute they first reached it). */
  flows: number;
  dlq: number;
  duplicates: number;
  outOfOrder: number;
}

export interface LatencyStats {
  flows: number;
  p50Ms: number | null;
  p95Ms: number | null;
}

export interface MapTransition extends LatencyStats {
  from: string;
  to: string;
  baseline?: LatencyStats;
}

export interface StopCounts {
  /** Flows that stopped after the step: stuck + dlq. */
  flows: number;
  stuck: number;
  dlq: number;
  /** flows ÷ the type's flows whose last event falls in the window. */
  share: number;
}

export interface MapStop extends StopCounts {
  after: string;
  baseline?: StopCounts;
}

export interface MapVariant {
  /** The variant's hash, as in flowmap_members.variant: filters the flow list. */
  id: string;
  steps: string[];
  flows: number;
  share: number;
}

export type MapChange =
  | { kind: "stop-share"; after: string; direction: "up" | "down"; since: string | null; share: number; baselineShare: number; flows: number; text: string }
  | { kind: "latency"; from: string; to: string; since: string | null; p95Ms: number; baselineP95Ms: number; flows: number; text: string };

export interface TypeTotals {
  flows: number;
  completed: number;
  stuck: number;
  dlq: number;
}

export interface FlowTypeMap extends TypeTotals {
  type: string;
  baseline?: TypeTotals;
  steps: MapStep[];
  transitions: MapTransition[];
  stops: MapStop[];
  variants: MapVariant[];
  changes: MapChange[];
}

/** Whether the tap maintains the map (server/flowmap/settings.ts). */
export interface MapMaintained {
  /** False while FLOWTAP_FLOWMAP=off: the map stands as it was when turned off. */
  on: boolean;
  /** When the settings last changed (turned off, or rebuilt from the index); null before any tap recorded them. */
  since: string | null;
}

export interface FlowMapAnswer {
  window: MapWindow;
  maintained: MapMaintained;
  baseline: MapBaseline | null;
  /** Open flows whose last event is older than this are stuck. */
  stuckBefore: string;
  /**
   * Events indexed but not yet folded into the map (the tap's pass runs beside it), counted up to
   * QUEUED_COUNT_CAP; `capped` when there are more. The map is as of the index minus these.
   */
  queued: { events: number; capped: boolean };
  flowTypes: FlowTypeMap[];
}

/** Counting the flow map's queue stops here: a health poll must stay cheap however far behind it is. */
export const QUEUED_COUNT_CAP = 100_000;

export interface MapFlowItem {
  correlationId: string;
  flowType: string;
  firstSeen: string;
  lastSeen: string;
  status: "open" | "completed" | "dlq";
  stuck: boolean;
  lastStep: string;
  steps: number;
}

export interface MapFlowPage {
  flows: MapFlowItem[];
  /** Pass as `cursor` for older flows; null when there are none. */
  nextCursor: string | null;
}
