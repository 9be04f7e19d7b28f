// The browser's side of GET /api/lag: the answer's shape (the server's own types, erased at
// build) and the fetch. Numbers that can exceed 2^53 (offsets) arrive as strings.
import type { LagAnswer } from "@/server/lag/get-lag";
import { getJson } from "../api";
import { DEFAULT_RANGE, type LagRange } from "./chart-data";

export type { GroupLag, LagAnswer, LagMarker, LagSeriesPoint, PartitionLag, PartitionSeries } from "@/server/lag/get-lag";

/** The group's page; a range other than the default travels along, so the view stays the same. */
export function lagGroupHref(group: string, range: LagRange = DEFAULT_RANGE): string {
  return `/lag/${encodeURIComponent(group)}${range === DEFAULT_RANGE ? "" : `?range=${range}`}`;
}

export function getLag(range: LagRange, group: string | null, signal?: AbortSignal): Promise<LagAnswer> {
  const params = new URLSearchParams({ since: range });
  if (group !== null) params.set("group", group);
  return getJson<LagAnswer>(`/api/lag?${params}`, signal);
}
