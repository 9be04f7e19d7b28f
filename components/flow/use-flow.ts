"use client";
// A flow and whether it is still growing. While live, it is fetched again every 3 s; the
// index is append-only, so an answer with the same events as before keeps the old object and
// nothing re-renders.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { SearchResult } from "@/server/flows/search-index";
import { getFlow, searchIndex, type FlowDetail } from "../api";
import { eventKey, isLive } from "@/server/analysis/flow-analysis";

export const LIVE_POLL_MS = 3_000;
export const NOT_FOUND_POLL_MS = 5_000;

type FlowMatch = Extract<SearchResult, { matched: "flow" }>;

function summaryOf(results: SearchResult[] | undefined, id: string): FlowMatch | null {
  return results?.find((r): r is FlowMatch => r.matched === "flow" && r.correlationId === id) ?? null;
}

function sameFlow(a: FlowDetail | null, b: FlowDetail | null): boolean {
  if (a === null || b === null) return a === b;
  const lastA = a.events.at(-1);
  const lastB = b.events.at(-1);
  return a.events.length === b.events.length && a.truncated === b.truncated && (lastA && lastB ? eventKey(lastA) === eventKey(lastB) : lastA === lastB);
}

export function lastSeenOf(flow: FlowDetail | null | undefined): string | null {
  return flow?.events.at(-1)?.timestamp ?? null;
}

export function useFlow(correlationId: string, now: number) {
  // The flow endpoint does not say whether a terminal event was seen; the flows summary does.
  const summary = useQuery({
    queryKey: ["search", correlationId],
    queryFn: ({ signal }) => searchIndex(correlationId, signal),
    refetchInterval: (q) => (summaryOf(q.state.data, correlationId)?.completed ? false : 15_000),
  });
  const flowSummary = summaryOf(summary.data, correlationId);
  const completed = flowSummary?.completed ?? null;

  const flow = useQuery({
    queryKey: ["flow", correlationId],
    queryFn: ({ signal }) => getFlow(correlationId, signal),
    placeholderData: keepPreviousData,
    refetchOnWindowFocus: false,
    structuralSharing: (prev, next) => (prev !== undefined && sameFlow(prev as FlowDetail | null, next as FlowDetail | null) ? prev : next),
    refetchInterval: (q) => {
      const data = q.state.data;
      if (data === null) return NOT_FOUND_POLL_MS;
      if (data === undefined) return false;
      // New events land after the first page, out of sight: polling would re-fetch up to 8 MB every 3 s for nothing.
      if (data.truncated) return false;
      return isLive(lastSeenOf(data), completed, Date.now()) ? LIVE_POLL_MS : false;
    },
  });
  const live = flow.data && !flow.data.truncated ? isLive(lastSeenOf(flow.data), completed, now) : false;
  return { flow, summary: flowSummary, live };
}
