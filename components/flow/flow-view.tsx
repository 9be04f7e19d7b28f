"use client";
// The flow page: header, timeline or table, and the selected event's detail. View, lanes
// and selection live in the URL (?view=table&lanes=topic&event=topic/partition/offset).
import { useCallback, useEffect, useMemo } from "react";
import { ApiError, errorText } from "../api";
import { isTyping } from "../search-box";
import { useNow } from "../use-now";
import { useUrlParams } from "../use-url-params";
import { analyzeFlow, type FlowAnalysis, type LaneMode } from "@/server/analysis/flow-analysis";
import { AgainstType } from "./against-type";
import { EventDetail } from "./event-detail";
import { EventsTable } from "./events-table";
import { FlowHeader, type FlowViewMode } from "./flow-header";
import s from "./flow.module.css";
import { NotIndexed } from "./not-indexed";
import { Timeline } from "./timeline";
import { useFlow } from "./use-flow";

/** j/k walk the events, Esc closes the detail; never while typing. */
function useFlowKeys(analysis: FlowAnalysis, selectedKey: string | null, select: (key: string | null) => void) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isTyping(e.target) || e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === "Escape" && selectedKey !== null) select(null);
      if (e.key !== "j" && e.key !== "k") return;
      const at = analysis.rows.findIndex((r) => r.key === selectedKey);
      const next = analysis.rows[e.key === "j" ? at + 1 : at < 0 ? 0 : Math.max(0, at - 1)];
      if (next) select(next.key);
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [analysis, selectedKey, select]);
}

function FlowError({ error, retry }: { error: unknown; retry: () => void }) {
  const status = error instanceof ApiError ? error.status : 0;
  const lead =
    status === 400
      ? "This is not a correlation ID the index can look up."
      : status >= 500
        ? "The index could not answer."
        : "The flow could not be loaded.";
  return (
    <main className="page">
      <div className="state">
        <h1>{lead}</h1>
        <p className="error-box">{errorText(error)}</p>
        <p>
          <button type="button" onClick={retry}>
            Try again
          </button>
        </p>
      </div>
    </main>
  );
}

export function FlowView({ correlationId }: { correlationId: string }) {
  const [params, setParams] = useUrlParams();
  const lanes: LaneMode = params.get("lanes") === "topic" ? "topic" : "service";
  const view: FlowViewMode = params.get("view") === "table" ? "table" : "timeline";
  const selectedKey = params.get("event");
  const now = useNow();
  const { flow, summary, live } = useFlow(correlationId, now);
  const events = flow.data?.events;
  const analysis = useMemo(() => analyzeFlow(events ?? [], lanes), [events, lanes]);
  const selected = useMemo(() => analysis.rows.find((r) => r.key === selectedKey), [analysis, selectedKey]);
  const select = useCallback((key: string | null) => setParams({ event: key }), [setParams]);
  useFlowKeys(analysis, selectedKey, select);

  if (flow.isPending) {
    return (
      <main className="page">
        <p className="muted" role="status">
          Loading flow <span className="mono">{correlationId}</span>…
        </p>
      </main>
    );
  }
  if (flow.data === undefined) return <FlowError error={flow.error} retry={() => void flow.refetch()} />;
  if (flow.data === null) return <NotIndexed correlationId={correlationId} />;

  return (
    <main className={s.page}>
      <FlowHeader
        flow={flow.data}
        summary={summary}
        analysis={analysis}
        live={live}
        refreshing={flow.isFetching}
        view={view}
        lanes={lanes}
        onChange={(c) => {
          // Defaults stay out of the URL, so shared links are short.
          if (c.view) setParams({ view: c.view === "table" ? "table" : null });
          if (c.lanes) setParams({ lanes: c.lanes === "topic" ? "topic" : null });
        }}
      />
      {flow.isError && (
        <p className={s.stale} role="status">
          Refreshing failed ({errorText(flow.error)}); showing the events loaded before.
        </p>
      )}
      <AgainstType correlationId={correlationId} live={live} />
      <div className={s.body}>
        <section className={s.main} aria-label="Events">
          {view === "table" ? (
            <EventsTable analysis={analysis} laneMode={lanes} selectedKey={selectedKey} onSelect={select} />
          ) : (
            <Timeline analysis={analysis} selectedKey={selectedKey} onSelect={select} />
          )}
        </section>
        {selected ? (
          <EventDetail row={selected} analysis={analysis} onSelect={select} onClose={() => select(null)} />
        ) : selectedKey !== null ? (
          <aside className={s.missing} role="status">
            <p>
              Event <span className="mono">{selectedKey}</span> is not in this flow{live ? " (yet)" : ""}.
            </p>
            <button type="button" onClick={() => select(null)}>
              Clear selection
            </button>
          </aside>
        ) : null}
      </div>
    </main>
  );
}
