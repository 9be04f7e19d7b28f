// The topic page's state as it stands in its URL: the filters and the open record. The page
// uses the API's parameter names, so a link pasted into the incident channel and the request
// behind it read alike.
import type { DeadLetterReason } from "@/server/dlq/list-dead-letter-topics";
import type { ReplayFilter } from "@/server/contract/dlq";

export interface DlqFilters {
  reason: string | null;
  errorClass: string | null;
  from: string | null;
  to: string | null;
  sourceTopic: string | null;
  replay: ReplayFilter;
}

/** Typed against the API's schema: a replay state added there fails to compile here. */
export const REPLAY_LABEL: Record<ReplayFilter, string> = {
  all: "Any replay state",
  "not-replayed": "Not replayed",
  replayed: "Replayed",
  failed: "Last replay failed",
};
const REPLAY_STATES = Object.keys(REPLAY_LABEL) as ReplayFilter[];

const TEXT_FILTERS = ["reason", "errorClass", "from", "to", "sourceTopic"] as const;

export const NO_FILTERS: DlqFilters = { reason: null, errorClass: null, from: null, to: null, sourceTopic: null, replay: "all" };

/** Filters from URL parameters. Empty means unset; other values go to the API as typed, which names a bad one. */
export function filtersFrom(params: { get(name: string): string | null }): DlqFilters {
  const f: DlqFilters = { ...NO_FILTERS };
  for (const name of TEXT_FILTERS) f[name] = params.get(name) || null;
  const replay = params.get("replay");
  f.replay = REPLAY_STATES.find((s) => s === replay) ?? "all";
  return f;
}

/** The filters as query parameters, defaults left out so links stay short. */
export function filtersToParams(f: DlqFilters): URLSearchParams {
  const params = new URLSearchParams();
  for (const name of TEXT_FILTERS) {
    const v = f[name];
    if (v !== null) params.set(name, v);
  }
  if (f.replay !== "all") params.set("replay", f.replay);
  return params;
}

/** Changes to apply to the URL so that it says `f` (null removes a parameter). */
export function filterChanges(f: DlqFilters): Record<string, string | null> {
  return { ...Object.fromEntries(TEXT_FILTERS.map((n) => [n, f[n]])), replay: f.replay === "all" ? null : f.replay };
}

export function hasFilters(f: DlqFilters): boolean {
  return filtersToParams(f).size > 0;
}

const pad = (n: number) => String(n).padStart(2, "0");

/** An ISO instant as the value of an <input type="datetime-local">, in the browser's zone. */
export function toLocalInput(iso: string | null): string {
  const d = iso === null ? null : new Date(iso);
  if (d === null || Number.isNaN(d.getTime())) return "";
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A datetime-local value (the browser's zone) as an ISO instant; null when empty or unreadable. */
export function fromLocalInput(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value)) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** "topic/partition/offset", the way the flow page names records too. */
export interface RecordRef {
  topic: string;
  partition: number;
  offset: string;
}

/** The inverse of eventKey; Kafka topic names hold no "/", so the last two parts are the position. */
export function parseRecordKey(key: string): RecordRef | null {
  const m = /^(.+)\/(\d+)\/(\d+)$/.exec(key);
  return m ? { topic: m[1]!, partition: Number(m[2]), offset: m[3]! } : null;
}

export function dlqTopicUrl(topic: string, params?: URLSearchParams): string {
  const qs = params?.toString();
  return `/dlq/${encodeURIComponent(topic)}${qs ? `?${qs}` : ""}`;
}

/** The topic's list filtered to one reason: by message when there is one, else by class. */
export function reasonUrl(topic: string, r: Pick<DeadLetterReason, "errorClass" | "errorMessage">): string {
  if (r.errorMessage !== null) return dlqTopicUrl(topic, new URLSearchParams({ reason: r.errorMessage }));
  if (r.errorClass !== null) return dlqTopicUrl(topic, new URLSearchParams({ errorClass: r.errorClass }));
  return dlqTopicUrl(topic);
}
