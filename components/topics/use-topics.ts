"use client";
// The topic queries. The overview and a topic's counters refresh themselves; the record list
// holds still (rows do not move under the reader) and new records come in through the tail.
import { keepPreviousData, useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { getRecord, getTopic, listRecords, listTopics } from "./topics-api";
import type { BrowseState } from "./url-state";

const POLL_MS = 15_000;

export function useTopics() {
  return useQuery({ queryKey: ["topics", "list"], queryFn: ({ signal }) => listTopics(signal), refetchInterval: POLL_MS, placeholderData: keepPreviousData });
}

export function useTopic(topic: string) {
  return useQuery({ queryKey: ["topics", "topic", topic], queryFn: ({ signal }) => getTopic(topic, signal), refetchInterval: POLL_MS });
}

export function useRecords(topic: string, state: BrowseState) {
  return useInfiniteQuery({
    queryKey: ["topics", "records", topic, state],
    queryFn: ({ pageParam, signal }) => listRecords(topic, state, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last?.nextCursor ?? null,
    placeholderData: keepPreviousData,
  });
}

/** One record named by a pasted link but not among the loaded rows. */
export function useRecord(ref: { topic: string; partition: number; offset: string } | null) {
  return useQuery({
    queryKey: ["topics", "record", ref],
    queryFn: ({ signal }) => (ref ? getRecord(ref, signal) : Promise.resolve(null)),
    enabled: ref !== null,
  });
}
