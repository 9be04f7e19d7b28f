// The browser's side of GET /api/lag: the answer's shape, written out from the API contract
// (README "HTTP API"), and the fetch. Numbers that can exceed 2^53 (offsets) arrive as strings.
import type { LagStatus } from "@/server/lag/status";
import { getJson } from "../api";
import { DEFAULT_RANGE, type LagRange } from "./chart-data";

type GroupState = "Stable" | "Empty" | "PreparingRebalance" | "CompletingRebalance" | "Dead" | "Unknown";

/** `lag`/`timeLag` null: unknown (the group has no commit there), never "0". */
export interface LagSeriesPoint {
  t: string;
  lag: number | null;
  timeLag: number | null;
}

interface TopicLag {
  topic: string;
  lag: number | null;
  timeLagSeconds: number | null;
  partitions: number;
}

export interface PartitionLag {
  topic: string;
  partition: number;
  committed: string | null;
  end: string;
  lag: number | null;
  timeLagSeconds: number | null;
  status: LagStatus;
  reason: string;
  /** The client id / host that owns the partition; null when unassigned. */
  member: string | null;
}

export interface PartitionSeries {
  topic: string;
  partition: number;
  points: LagSeriesPoint[];
}

export interface LagMarker {
  t: string;
  kind: "rebalance" | "status";
  detail: string;
}

export interface GroupLag {
  group: string;
  state: GroupState;
  members: number;
  status: LagStatus;
  reason: string;
  lag: number | null;
  timeLagSeconds: number | null;
  topics: TopicLag[];
  partitions: PartitionLag[];
  series: LagSeriesPoint[];
  /** Only when the request names one group. */
  partitionSeries?: PartitionSeries[];
  markers?: LagMarker[];
}

export interface LagAnswer {
  /** The sampler's latest tick; null before its first. */
  sampledAt: string | null;
  intervalS: number;
  groups: GroupLag[];
}

/** The group's page; a range other than the default travels along, so the view stays the same. */
export function lagGroupHref(group: string, range: LagRange = DEFAULT_RANGE): string {
  return `/lag/${encodeURIComponent(group)}${range === DEFAULT_RANGE ? "" : `?range=${range}`}`;
}

export function getLag(range: LagRange, group: string | null, signal?: AbortSignal): Promise<LagAnswer> {
  const params = new URLSearchParams({ since: range });
  if (group !== null) params.set("group", group);
  return getJson<LagAnswer>(`/api/lag?${params}`, signal);
}
