// The browser's side of the topic API. A 404 is an answer (nothing of that topic indexed).
import type { TopicDetail, TopicRecordsPage, TopicsAnswer, TopicSummary } from "@/server/contract/topics";
import type { EventJson } from "@/server/flows/event-json";
import { ApiError, getJson } from "../api";
import { apiParams, type BrowseState } from "./url-state";

export type RecordsPage = TopicRecordsPage<EventJson>;
export const PAGE_SIZE = 50;

async function orNull<T>(pending: Promise<T>): Promise<T | null> {
  try {
    return await pending;
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
}

export async function listTopics(signal?: AbortSignal): Promise<TopicSummary[]> {
  return (await getJson<TopicsAnswer>("/api/topics", signal)).topics;
}

/** The topic with its partitions; null when nothing of it is indexed. */
export async function getTopic(topic: string, signal?: AbortSignal): Promise<TopicDetail | null> {
  const answer = await orNull(getJson<TopicsAnswer>(`/api/topics?${new URLSearchParams({ topic })}`, signal));
  return (answer?.topics[0] as TopicDetail | undefined) ?? null;
}

const recordsUrl = (topic: string, params: URLSearchParams) => `/api/topics/${encodeURIComponent(topic)}/records?${params}`;

/** One page; null when nothing of the topic is indexed. */
export function listRecords(topic: string, state: BrowseState, cursor: string | null, signal?: AbortSignal): Promise<RecordsPage | null> {
  const params = apiParams(state);
  params.set("limit", String(PAGE_SIZE));
  if (cursor) params.set("cursor", cursor);
  return orNull(getJson<RecordsPage>(recordsUrl(topic, params), signal));
}

/** Records by explicit parameters (the live tail's, one record's). */
export function fetchRecords(topic: string, params: URLSearchParams, signal?: AbortSignal): Promise<RecordsPage | null> {
  return orNull(getJson<RecordsPage>(recordsUrl(topic, params), signal));
}

/** One record by position, for a pasted link that names a record beyond the loaded rows. */
export async function getRecord(ref: { topic: string; partition: number; offset: string }, signal?: AbortSignal): Promise<EventJson | null> {
  const params = new URLSearchParams({ partition: String(ref.partition), offset: ref.offset, order: "oldest", limit: "1" });
  const page = await fetchRecords(ref.topic, params, signal);
  const first = page?.records[0];
  return first && first.offset === ref.offset ? first : null;
}
