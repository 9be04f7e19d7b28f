// The browser's side of GET /api/flowmap and /api/flowmap/flows: the contract's types (shared with
// the routes) and the fetches.
import type { AgainstTypeAnswer } from "@/server/contract/against-type";
import type { CompareMode, FlowMapAnswer, MapFlowPage, MapWindow } from "@/server/contract/flowmap";
import { getJson } from "../api";
import type { Selection } from "./map-url";

export type { FlowMapAnswer, FlowTypeMap, MapChange, MapFlowItem, MapStep, MapStop, MapTransition, MapVariant } from "@/server/contract/flowmap";

export function getFlowMap(range: string, compare: CompareMode, signal?: AbortSignal): Promise<FlowMapAnswer> {
  return getJson<FlowMapAnswer>(`/api/flowmap?${new URLSearchParams({ since: range, compare })}`, signal);
}

/** The flows behind a selection, over exactly the window the map answered for. */
export function getMapFlows(sel: Selection, window: MapWindow, cursor: string | null, signal?: AbortSignal): Promise<MapFlowPage> {
  const p = new URLSearchParams({ type: sel.type, since: window.since, until: window.until, limit: "50" });
  if (sel.kind === "step") p.set("step", sel.step);
  if (sel.kind === "transition") p.set("from", sel.from), p.set("to", sel.to);
  if (sel.kind === "stop") p.set("stop", sel.after);
  if (sel.kind === "variant") p.set("variant", sel.variant);
  if (cursor) p.set("cursor", cursor);
  return getJson<MapFlowPage>(`/api/flowmap/flows?${p}`, signal);
}

export function getAgainstType(correlationId: string, signal?: AbortSignal): Promise<AgainstTypeAnswer> {
  return getJson<AgainstTypeAnswer>(`/api/flows/${encodeURIComponent(correlationId)}/against-type`, signal);
}
