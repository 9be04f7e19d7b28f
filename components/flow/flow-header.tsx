"use client";
import type { FlowSummary } from "@/server/flows/flow-summary";
import type { FlowDetail } from "../api";
import { CopyButton } from "../copy-button";
import { ConsumersBehind } from "./consumers-behind";
import { FlowMarks } from "../home/flow-list";
import { SearchBox } from "../search-box";
import { AgoAndAt } from "../time";
import { formatDuration } from "../time-format";
import type { FlowAnalysis, LaneMode } from "@/server/analysis/flow-analysis";
import s from "./flow.module.css";
import { LIVE_POLL_MS } from "./use-flow";

export type FlowViewMode = "timeline" | "table";

interface Props {
  flow: FlowDetail;
  summary: FlowSummary | null;
  analysis: FlowAnalysis;
  live: boolean;
  refreshing: boolean;
  view: FlowViewMode;
  lanes: LaneMode;
  onChange: (changes: { view?: FlowViewMode; lanes?: LaneMode }) => void;
}

function Toggle<T extends string>({ label, value, options, onPick }: { label: string; value: T; options: Array<[T, string]>; onPick: (v: T) => void }) {
  return (
    <div className="tabs" role="group" aria-label={label}>
      {options.map(([v, text]) => (
        <button key={v} type="button" aria-pressed={v === value} onClick={() => onPick(v)}>
          {text}
        </button>
      ))}
    </div>
  );
}

export function FlowHeader({ flow, summary, analysis, live, refreshing, view, lanes, onChange }: Props) {
  const first = flow.events[0];
  const last = flow.events.at(-1);
  const { counts } = analysis;
  return (
    <div className={s.header}>
      <div className={s.titleRow}>
        <h1 className={s.title}>
          <span className="muted small">flow</span> <span className="mono">{flow.correlationId}</span>
        </h1>
        <CopyButton text={flow.correlationId} what="correlation ID" />
        {summary && <FlowMarks flow={summary} />}
        <span
          className={live ? `${s.live} ${refreshing ? s.pulse : ""}` : s.notLive}
          title={live ? `No terminal event yet, or activity in the last 5 minutes: checking for new events every ${LIVE_POLL_MS / 1000} s` : flow.truncated ? "Larger than one answer of the API: not refreshed" : "Completed more than 5 minutes ago: not refreshed"}
        >
          {live ? "● live" : "not live"}
        </span>
        <div className={s.spacer} />
        <SearchBox compact />
      </div>
      <div className={s.statsRow}>
        <span>
          <strong>{flow.events.length.toLocaleString()}</strong> events
        </span>
        <span>
          <strong>{analysis.lanes.length}</strong> {lanes === "topic" ? "topics" : "services"}
        </span>
        {first && last && (
          <>
            <span>
              lasted <strong>{formatDuration(Date.parse(last.timestamp) - Date.parse(first.timestamp))}</strong>
            </span>
            <span>
              first <AgoAndAt iso={first.timestamp} />
            </span>
            <span>
              last <AgoAndAt iso={last.timestamp} />
            </span>
          </>
        )}
        {counts.dlq > 0 && <span className="badge badge-dlq">{counts.dlq} dead-lettered</span>}
        {counts.duplicate > 0 && <span className="badge badge-dup">{counts.duplicate} duplicate</span>}
        {counts.outOfOrder > 0 && <span className="badge badge-ooo">{counts.outOfOrder} out of order</span>}
        <div className={s.spacer} />
        <Toggle label="View" value={view} options={[["timeline", "Timeline"], ["table", "Table"]]} onPick={(v) => onChange({ view: v })} />
        <Toggle label="Lanes" value={lanes} options={[["service", "By service"], ["topic", "By topic"]]} onPick={(v) => onChange({ lanes: v })} />
      </div>
      <ConsumersBehind correlationId={flow.correlationId} />
      {flow.truncated && (
        <p className={s.truncated} role="status">
          This flow is larger than one answer of the API (10,000 events or 8 MB of payloads): only its first{" "}
          {flow.events.length.toLocaleString()} events are shown, and the page does not refresh it.
        </p>
      )}
    </div>
  );
}
