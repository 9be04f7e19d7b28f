"use client";
// The map polls every 30 s while its window ends now (the aggregates move by the minute; faster
// polling would redraw the same numbers). A flow list pages with useInfiniteQuery and follows the
// window the map answered for, so the list and the counts agree.
import { keepPreviousData, useInfiniteQuery, useQuery } from "@tanstack/react-query";
import type { CompareMode, MapWindow } from "@/server/contract/flowmap";
import { getAgainstType, getFlowMap, getMapFlows } from "./map-api";
import type { Selection } from "./map-url";

export const MAP_POLL_MS = 30_000;

export function useFlowMap(range: string, compare: CompareMode) {
  return useQuery({
    queryKey: ["flowmap", range, compare],
    queryFn: ({ signal }) => getFlowMap(range, compare, signal),
    refetchInterval: MAP_POLL_MS,
    staleTime: MAP_POLL_MS,
    placeholderData: keepPreviousData,
    refetchOnWindowFocus: false,
  });
}

export function useMapFlows(sel: Selection | null, window: MapWindow | undefined) {
  return useInfiniteQuery({
    queryKey: ["flowmap-flows", sel, window],
    queryFn: ({ pageParam, signal }) => getMapFlows(sel!, window!, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    enabled: sel !== null && window !== undefined,
    placeholderData: keepPreviousData,
    refetchOnWindowFocus: false,
  });
}

export function useAgainstType(correlationId: string, live: boolean) {
  return useQuery({
    queryKey: ["against-type", correlationId],
    queryFn: ({ signal }) => getAgainstType(correlationId, signal),
    refetchInterval: live ? MAP_POLL_MS : false,
    staleTime: MAP_POLL_MS,
    refetchOnWindowFocus: false,
  });
}
