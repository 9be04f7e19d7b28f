"use client";
// The same events as the timeline, as rows: for scanning offsets and keys, or copying them.
import { formatLocalClock } from "../time-format";
import { VirtualList } from "../virtual-list";
import { eventLabel, explainMarks, type FlowAnalysis, type LaneMode } from "@/server/analysis/flow-analysis";
import { gapLabel } from "./flow-display";
import { keyText } from "./bytes";
import s from "./events-table.module.css";

const ROW_H = 28;

interface Props {
  analysis: FlowAnalysis;
  laneMode: LaneMode;
  selectedKey: string | null;
  onSelect: (key: string) => void;
}

export function EventsTable({ analysis, laneMode, selectedKey, onSelect }: Props) {
  const selectedIndex = analysis.rows.findIndex((r) => r.key === selectedKey);
  const header = (
    <div className={`${s.grid} ${s.head}`} role="row">
      <span role="columnheader">#</span>
      <span role="columnheader">local time</span>
      <span role="columnheader">gap</span>
      <span role="columnheader">{laneMode === "topic" ? "topic" : "service"}</span>
      <span role="columnheader">event type</span>
      <span role="columnheader">topic/partition/offset</span>
      <span role="columnheader">key</span>
      <span role="columnheader">marks</span>
    </div>
  );
  return (
    <VirtualList
      className={s.table}
      label="Events of the flow as a table"
      items={analysis.rows}
      rowHeight={ROW_H}
      header={header}
      headerHeight={ROW_H}
      revealIndex={selectedIndex >= 0 ? selectedIndex : null}
      renderRow={(row) => {
        const e = row.event;
        const marks = explainMarks(row);
        const cls = [s.grid, s.row, e.dlq && s.dlq, row.key === selectedKey && s.selected].filter(Boolean).join(" ");
        return (
          <button type="button" className={cls} onClick={() => onSelect(row.key)} aria-pressed={row.key === selectedKey} title={marks.map((m) => m.text).join("\n") || undefined} data-testid="table-row" data-event-key={row.key}>
            <span className="mono muted">{row.index + 1}</span>
            <span className="mono">{formatLocalClock(e.timestamp)}</span>
            <span className="mono muted">{gapLabel(row)}</span>
            <span className={s.cut}>{analysis.lanes[row.lane]}</span>
            <span className={e.eventType === null ? `${s.cut} muted` : s.cut}>{eventLabel(e)}</span>
            <span className={`mono ${s.cut}`}>{row.key}</span>
            <span className={`mono ${s.cut}`}>{keyText(e.key)}</span>
            <span className={s.marks}>
              {e.dlq && <span className="badge badge-dlq">DLQ</span>}
              {row.duplicate && <span className="badge badge-dup">duplicate</span>}
              {row.outOfOrder && <span className="badge badge-ooo">out of order</span>}
            </span>
          </button>
        );
      }}
    />
  );
}
