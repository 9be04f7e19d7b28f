"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { getHealth } from "./api";

/** Cluster, store and tap status, polled every 5 s; shared by the header and the empty states. */
export function useHealth() {
  return useQuery({
    queryKey: ["health"],
    queryFn: ({ signal }) => getHealth(signal),
    refetchInterval: 5_000,
    placeholderData: keepPreviousData,
    retry: false,
  });
}
