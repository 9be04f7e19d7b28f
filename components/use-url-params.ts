"use client";
// Every filter and selection lives in the URL so a link pasted into the incident channel
// opens the same view. Updates go through the history API: Next.js keeps useSearchParams in
// step, and no server round trip happens for a click.
import { useSearchParams, type ReadonlyURLSearchParams } from "next/navigation";
import { useCallback } from "react";

export type ParamChanges = Record<string, string | null>;

export function useUrlParams(): [ReadonlyURLSearchParams, (changes: ParamChanges, mode?: "push" | "replace") => void] {
  const params = useSearchParams();
  const update = useCallback((changes: ParamChanges, mode: "push" | "replace" = "replace") => {
    const next = new URLSearchParams(window.location.search);
    for (const [name, value] of Object.entries(changes)) {
      if (value === null || value === "") next.delete(name);
      else next.set(name, value);
    }
    const qs = next.toString();
    // location.pathname is still percent-encoded, so IDs holding "?" or "#" survive.
    const url = `${window.location.pathname}${qs ? `?${qs}` : ""}`;
    if (mode === "push") window.history.pushState(null, "", url);
    else window.history.replaceState(null, "", url);
  }, []);
  return [params, update];
}
