"use client";
// /map: every flow type's steps, transitions and stops for a window against its baseline, what
// changed in words, and the flows behind anything clicked. Window, comparison and selection live
// in the URL (?range=6h&compare=day&sel=stop&ft=OrderCreated&stop=…).
import { useCallback, useState } from "react";
import { baselineLabel } from "@/server/analysis/map-changes";
import { COMPARE_MODES, DEFAULT_MAP_RANGE, MAP_RANGES, type CompareMode, type MapWindow } from "@/server/contract/flowmap";
import { errorText } from "../api";
import { formatLocal } from "../time-format";
import { useUrlParams } from "../use-url-params";
import { FlowListPanel } from "./flow-list-panel";
import s from "./map.module.css";
import { parseCompare, parseMapRange, parseSelection, sameSelection, selectionParams, type Selection } from "./map-url";
import { TypeCard } from "./type-card";
import { useFlowMap } from "./use-flowmap";

const COMPARE_TEXT: Record<CompareMode, string> = { previous: "the window before", day: "a day earlier", week: "a week earlier", none: "nothing" };

function Pickers({ range, compare, onRange, onCompare }: { range: string; compare: CompareMode; onRange: (r: string) => void; onCompare: (c: CompareMode) => void }) {
  return (
    <>
      <div className="tabs" role="group" aria-label="Window">
        {MAP_RANGES.map((r) => (
          <button key={r} type="button" aria-pressed={r === range} onClick={() => onRange(r)} data-testid="map-range">
            {r}
          </button>
        ))}
      </div>
      <label className={s.compare}>
        compared with{" "}
        <select value={compare} onChange={(e) => onCompare(e.target.value as CompareMode)} data-testid="map-compare">
          {COMPARE_MODES.map((c) => (
            <option key={c} value={c}>
              {COMPARE_TEXT[c]}
            </option>
          ))}
        </select>
      </label>
    </>
  );
}


/** A few queued events are the pass's normal second; say so only past this many. */
const QUEUED_NOTE_AT = 1000;
export function MapView() {
  const [params, setParams] = useUrlParams();
  const range = parseMapRange(params.get("range"));
  const compare = parseCompare(params.get("compare"));
  const selected = parseSelection(params);
  const query = useFlowMap(range, compare);
  const answer = query.data;
  // The list keeps the window it opened with, so polling the map does not reset its pages.
  const [listWindow, setListWindow] = useState<{ sel: Selection; window: MapWindow } | null>(null);
  const listWin = listWindow && sameSelection(listWindow.sel, selected) ? listWindow.window : answer?.window;
  const select = useCallback(
    (sel: Selection | null) => {
      setListWindow(sel && answer ? { sel, window: answer.window } : null);
      setParams(selectionParams(sel), "push");
    },
    [answer, setParams],
  );
  const close = useCallback(() => select(null), [select]);
  const windowMs = answer ? Date.parse(answer.window.until) - Date.parse(answer.window.since) : 0;
  const label = answer?.baseline ? baselineLabel(windowMs, compare) : null;
  const time = (iso: string) => formatLocal(iso).slice(windowMs > 86_400_000 ? 5 : 11, 16);

  return (
    <main className={s.page}>
      <div className={s.main}>
        <div className={s.head}>
          <h1>Flow map</h1>
          <Pickers range={range} compare={compare} onRange={(r) => setParams({ range: r === DEFAULT_MAP_RANGE ? null : r })} onCompare={(c) => setParams({ compare: c === "previous" ? null : c })} />
          {query.isFetching && <span className="muted small">updating…</span>}
        </div>
        {query.isError && answer && <p className={s.note} role="status">Refreshing failed ({errorText(query.error)}); showing the last answer.</p>}
        {answer && !answer.maintained.on && (
          <p className={s.note} role="status" data-testid="map-off">
            The tap does not maintain the flow map (FLOWTAP_FLOWMAP=off){answer.maintained.since ? ` since ${formatLocal(answer.maintained.since).slice(0, 16)}` : ""}:
            flows indexed since then are not on it. Turned on again, it is rebuilt from the index.
          </p>
        )}
        {answer && answer.queued.events >= QUEUED_NOTE_AT && (
          <p className={s.note} role="status" data-testid="map-queued">
            The map is {answer.queued.events.toLocaleString()}
            {answer.queued.capped ? "+" : ""} indexed event{answer.queued.events === 1 ? "" : "s"} behind the index; the tap folds them in shortly.
          </p>
        )}
        {query.isPending ? (
          <p className="muted" role="status">Loading the flow map…</p>
        ) : !answer ? (
          <div className="error-box" role="status">
            Could not load the flow map: {errorText(query.error)}{" "}
            <button type="button" onClick={() => void query.refetch()}>Try again</button>
          </div>
        ) : answer.flowTypes.length === 0 ? (
          <div className="state" data-testid="map-empty">
            <p>No flows in the last {range}.</p>
            <p className="hint">The tap adds a flow to the map as it indexes its events; widen the window to look further back.</p>
          </div>
        ) : (
          answer.flowTypes.map((t) => <TypeCard key={t.type} map={t} baselineLabel={label} time={time} selected={selected} onSelect={select} />)
        )}
      </div>
      {selected && <FlowListPanel sel={selected} window={listWin} answer={answer} onClose={close} />}
    </main>
  );
}
