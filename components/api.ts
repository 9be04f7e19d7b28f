// The browser's side of the HTTP API: typed fetches and the errors a page can explain.
import type { EventJson } from "@/server/flows/event-json";
import type { FlowSummary } from "@/server/flows/flow-summary";
import type { SearchResult } from "@/server/flows/search-index";
import type { HealthDetail, HealthStates } from "@/server/health/read-health";

export type FlowStatus = "all" | "dlq" | "stuck" | "open" | "completed";
export const FLOW_STATUSES: readonly FlowStatus[] = ["all", "dlq", "stuck", "open", "completed"];

/** Signed-in callers get the details, anonymous ones the states only. */
export type Health = HealthDetail | HealthStates;

export function healthDetail(h: Health | undefined): HealthDetail | null {
  return h && "instances" in h.tap ? (h as HealthDetail) : null;
}
export interface FlowPage {
  flows: FlowSummary[];
  nextCursor: string | null;
}
export interface FlowDetail {
  correlationId: string;
  events: EventJson[];
  truncated: boolean;
}

/** An answer from Flowtap with an error status; `status` 0 means the server did not answer. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function request(url: string, signal?: AbortSignal): Promise<Response> {
  try {
    return await fetch(url, { signal, cache: "no-store", headers: { accept: "application/json" } });
  } catch (err) {
    if (signal?.aborted) throw err;
    throw new ApiError(0, "The Flowtap server is not answering (network error). Is it running?");
  }
}

async function errorOf(res: Response): Promise<ApiError> {
  const body: unknown = await res.json().catch(() => null);
  const message = typeof body === "object" && body !== null && typeof (body as { error?: unknown }).error === "string"
    ? (body as { error: string }).error
    : `HTTP ${res.status} ${res.statusText}`;
  return new ApiError(res.status, message);
}

/** Users are configured and this browser is not signed in: go and sign in, then come back. */
export function toSignIn(): void {
  if (typeof window === "undefined" || window.location.pathname === "/signin") return;
  window.location.assign(`/signin?next=${encodeURIComponent(window.location.pathname + window.location.search)}`);
}

export async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  const res = await request(url, signal);
  if (res.status === 401) toSignIn();
  if (!res.ok) throw await errorOf(res);
  return (await res.json()) as T;
}

/** Health answers 503 with a full body when the store is down: that body is the news. */
export async function getHealth(signal?: AbortSignal): Promise<Health> {
  const res = await request("/api/health", signal);
  if (res.ok || res.status === 503) {
    const body = (await res.json().catch(() => null)) as Health | null;
    if (body && typeof body === "object" && "db" in body) return body;
  }
  throw await errorOf(res);
}

export function flowUrl(correlationId: string): string {
  return `/flows/${encodeURIComponent(correlationId)}`;
}

export const searchUrl = (q: string) => `/api/search?q=${encodeURIComponent(q)}`;

export function searchIndex(q: string, signal?: AbortSignal): Promise<SearchResult[]> {
  return getJson<{ results: SearchResult[] }>(searchUrl(q), signal).then((r) => r.results);
}

/** A flow, or null when nothing is indexed under that ID (a 404 is an answer, not a failure). */
export async function getFlow(correlationId: string, signal?: AbortSignal): Promise<FlowDetail | null> {
  try {
    return await getJson<FlowDetail>(`/api/flows/${encodeURIComponent(correlationId)}`, signal);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
}

export function listFlows(status: FlowStatus, before: string | null, signal?: AbortSignal): Promise<FlowPage> {
  const params = new URLSearchParams({ limit: "50", status });
  if (before) params.set("before", before);
  return getJson<FlowPage>(`/api/flows?${params}`, signal);
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
