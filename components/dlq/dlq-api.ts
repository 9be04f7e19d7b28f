// The browser's side of the dead-letter API. A 404 is an answer (no dead letters there), not a failure.
import type { DeadLetterRecord } from "@/server/dlq/find-dead-letter-message";
import type { DeadLetterPage } from "@/server/dlq/list-dead-letter-messages";
import type { DeadLetterTopic } from "@/server/dlq/list-dead-letter-topics";
import { ApiError, getJson } from "../api";
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
