"use client";
// The flows behind what was clicked on the map, newest first, a page at a time; each opens its
// timeline. Esc closes the panel.
import Link from "next/link";
import { useEffect } from "react";
import { formatPercent, stepName } from "@/server/analysis/map-changes";
import type { FlowMapAnswer, MapFlowItem, MapWindow } from "@/server/contract/flowmap";
import { errorText, flowUrl } from "../api";
import { isTyping } from "../search-box";
import { Ago } from "../time";
import s from "./map.module.css";
import type { Selection } from "./map-url";
import { useMapFlows } from "./use-flowmap";

function title(sel: Selection, answer: FlowMapAnswer | undefined): string {
  const type = answer?.flowTypes.find((t) => t.type === sel.type);
  switch (sel.kind) {
    case "step":
      return `${sel.type} flows that reached ${stepName(sel.step)}`;
    case "transition":
      return `${sel.type} flows going from ${stepName(sel.from)} to ${stepName(sel.to)}`;
    case "stop": {
      const stop = type?.stops.find((x) => x.after === sel.after);
      return `${sel.type} flows stopped after ${stepName(sel.after)}${stop ? ` (${formatPercent(stop.share)})` : ""}`;
    }
    case "variant": {
      const v = type?.variants.find((x) => x.id === sel.variant);
      return `${sel.type} flows on the path ${v ? v.steps.map(stepName).join(" → ") : sel.variant}`;
    }
  }
}

function Status({ f }: { f: MapFlowItem }) {
  if (f.status === "dlq") return <span className="badge badge-dlq">DLQ</span>;
  if (f.stuck) return <span className="badge badge-stuck">stuck</span>;
  return <span className={`badge ${f.status === "completed" ? "badge-ok" : "badge-plain"}`}>{f.status}</span>;
}

interface Props {
  sel: Selection;
  window: MapWindow | undefined;
  answer: FlowMapAnswer | undefined;
  onClose: () => void;
}

export function FlowListPanel({ sel, window, answer, onClose }: Props) {
  const q = useMapFlows(sel, window);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape" && !isTyping(e.target)) onClose();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [onClose]);
  const flows = q.data?.pages.flatMap((p) => p.flows) ?? [];
  return (
    <aside className={s.panel} data-testid="map-flow-list" aria-label="Flows">
      <div className={s.panelHead}>
        <h2>{title(sel, answer)}</h2>
        <button type="button" onClick={onClose} aria-label="Close the flow list">
          ✕
        </button>
      </div>
      {q.isPending ? (
        <p className="muted" role="status">Loading flows…</p>
      ) : q.isError && flows.length === 0 ? (
        <p className="error-box" role="status">Could not list the flows: {errorText(q.error)}</p>
      ) : flows.length === 0 ? (
        <p className="muted">No flows of these in the window.</p>
      ) : (
        <ul className={s.flowList}>
          {flows.map((f) => (
            <li key={f.correlationId} data-testid="map-flow" data-status={f.stuck ? "stuck" : f.status}>
              <Link href={flowUrl(f.correlationId)} className="mono">{f.correlationId}</Link>
              <span className={s.flowMeta}>
                <Status f={f} /> after {stepName(f.lastStep)} · <Ago iso={f.lastSeen} />
              </span>
            </li>
          ))}
        </ul>
      )}
      {q.hasNextPage && (
        <button type="button" className={s.more} disabled={q.isFetchingNextPage} onClick={() => void q.fetchNextPage()}>
          {q.isFetchingNextPage ? "Loading…" : "Older flows"}
        </button>
      )}
    </aside>
  );
}
