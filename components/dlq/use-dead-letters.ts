"use client";
// The dead-letter queries. The overview refreshes itself (new failures keep arriving during an
// incident); the message list holds still, so rows do not move under a checkbox being
// ticked, and refreshes when asked.
import { keepPreviousData, useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { getDeadLetterRecord, getDeadLetterTopic, listDeadLetterMessages, listDeadLetterTopics } from "./dlq-api";
import { parseRecordKey, type DlqFilters } from "./url-state";

const OVERVIEW_POLL_MS = 15_000;

export function useDeadLetterTopics() {
  return useQuery({
    queryKey: ["dlq", "topics"],
    queryFn: ({ signal }) => listDeadLetterTopics(signal),
    refetchInterval: OVERVIEW_POLL_MS,
    placeholderData: keepPreviousData,
  });
}

export function useDeadLetterTopic(topic: string) {
  return useQuery({ queryKey: ["dlq", "topic", topic], queryFn: ({ signal }) => getDeadLetterTopic(topic, signal) });
}

export function useDeadLetterMessages(topic: string, filters: DlqFilters) {
  return useInfiniteQuery({
    queryKey: ["dlq", "messages", topic, filters],
    queryFn: ({ pageParam, signal }) => listDeadLetterMessages(topic, filters, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last?.nextCursor ?? null,
    placeholderData: keepPreviousData,
  });
}

/** One record with its stack trace, fetched when its detail opens. */
export function useDeadLetterRecord(recordKey: string | null) {
  const ref = recordKey === null ? null : parseRecordKey(recordKey);
  return useQuery({
    queryKey: ["dlq", "record", recordKey],
    queryFn: ({ signal }) => (ref ? getDeadLetterRecord(ref, signal) : Promise.resolve(null)),
    enabled: ref !== null,
  });
}
