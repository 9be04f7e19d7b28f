"use client";
// Lag is live data: polled while the page is open, at the sampler's pace (never faster than
// 10 s; a slower sampler has nothing new sooner). The header and the charts of a group read
// the same key; every observer with a refetchInterval runs its own timer, so only the page
// polls and the charts follow the cache (`poll: false`), one request per tick.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { LagRange } from "./chart-data";
import { getLag } from "./lag-api";

export const LAG_POLL_MS = 10_000;

export function useLag(range: LagRange, group: string | null, { poll = true }: { poll?: boolean } = {}) {
  return useQuery({
    queryKey: ["lag", range, group],
    queryFn: ({ signal }) => getLag(range, group, signal),
    refetchInterval: poll ? (q) => Math.max(LAG_POLL_MS, (q.state.data?.intervalS ?? 0) * 1000) : false,
    // Fresh for one tick: a chart mounting late must not fetch again what the page just got.
    staleTime: LAG_POLL_MS,
    placeholderData: keepPreviousData,
    refetchOnWindowFocus: false,
  });
}
