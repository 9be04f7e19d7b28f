// The browser's side of the dead-letter API. A 404 is an answer (no dead letters there), not a failure.
import type { DeadLetterRecord } from "@/server/dlq/find-dead-letter-message";
import type { DeadLetterPage } from "@/server/dlq/list-dead-letter-messages";
import type { DeadLetterTopic } from "@/server/dlq/list-dead-letter-topics";
import type { ReplayResult } from "@/server/replay/replay-records";
import { ApiError, getJson, toSignIn } from "../api";
import { filtersToParams, type DlqFilters, type RecordRef } from "./url-state";

const PAGE_SIZE = 50;
/** Enough for the reason picker; the overview shows the API's default five. */
const PICKER_REASONS = 100;

async function orNull<T>(pending: Promise<T>): Promise<T | null> {
  try {
    return await pending;
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
}

export async function listDeadLetterTopics(signal?: AbortSignal): Promise<DeadLetterTopic[]> {
  return (await getJson<{ topics: DeadLetterTopic[] }>("/api/dlq", signal)).topics;
}

/** One topic's summary with its reasons; null when it holds no dead letters. */
export async function getDeadLetterTopic(topic: string, signal?: AbortSignal): Promise<DeadLetterTopic | null> {
  const params = new URLSearchParams({ topic, reasons: String(PICKER_REASONS) });
  return (await getJson<{ topics: DeadLetterTopic[] }>(`/api/dlq?${params}`, signal)).topics[0] ?? null;
}

export function listDeadLetterMessages(topic: string, filters: DlqFilters, cursor: string | null, signal?: AbortSignal): Promise<DeadLetterPage | null> {
  const params = filtersToParams(filters);
  params.set("limit", String(PAGE_SIZE));
  if (cursor) params.set("cursor", cursor);
  return orNull(getJson<DeadLetterPage>(`/api/dlq/${encodeURIComponent(topic)}?${params}`, signal));
}

export function getDeadLetterRecord(ref: RecordRef, signal?: AbortSignal): Promise<DeadLetterRecord | null> {
  return orNull(getJson<DeadLetterRecord>(`/api/dlq/${encodeURIComponent(ref.topic)}/${ref.partition}/${ref.offset}`, signal));
}

/** POST /api/replays for one chunk (at most the API's 1,000 records). Errors are ApiErrors with the server's message. */
export async function postReplays(records: readonly RecordRef[], opts: { force?: boolean; dryRun?: boolean } = {}): Promise<ReplayResult[]> {
  let res: Response;
  try {
    res = await fetch("/api/replays", {
      method: "POST",
      credentials: "same-origin",
      cache: "no-store",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ records, force: opts.force ?? false, dryRun: opts.dryRun ?? false }),
    });
  } catch {
    throw new ApiError(0, "The Flowtap server is not answering (network error). Is it running?");
  }
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    if (res.status === 401) toSignIn();
    const error = typeof body === "object" && body !== null && typeof (body as { error?: unknown }).error === "string" ? (body as { error: string }).error : `HTTP ${res.status} ${res.statusText}`;
    throw new ApiError(res.status, error);
  }
  const results = (body as { results?: unknown } | null)?.results;
  if (!Array.isArray(results)) throw new ApiError(res.status, "the server's answer holds no results");
  return results as ReplayResult[];
}

/**
 * Every record the filters match, a page of `pageSize` at a time (newest first), as references.
 * `onPage` reports the running count; `shouldStop` ends the walk early (returns null then).
 */
export async function collectMatching(
  topic: string,
  filters: DlqFilters,
  opts: { pageSize: number; onPage?: (found: number) => void; shouldStop?: () => boolean },
): Promise<RecordRef[] | null> {
  const found: RecordRef[] = [];
  let cursor: string | null = null;
  do {
    if (opts.shouldStop?.()) return null;
    const params = filtersToParams(filters);
    params.set("limit", String(opts.pageSize));
    if (cursor) params.set("cursor", cursor);
    const page: DeadLetterPage | null = await orNull(getJson<DeadLetterPage>(`/api/dlq/${encodeURIComponent(topic)}?${params}`));
    if (page === null) break;
    for (const m of page.messages) found.push({ topic: m.topic, partition: m.partition, offset: m.offset });
    opts.onPage?.(found.length);
    cursor = page.nextCursor;
  } while (cursor);
  return found;
}
