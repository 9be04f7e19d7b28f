"use client";
// The flow as swimlanes: one column per service (or topic), time running down, each event a
// box at its moment, causation as arrows. Only the rows and links in view are rendered, so
// a 10,000-event flow costs what 50 do; no per-event state, one scroll position for all.
import { useEffect, useMemo } from "react";
import { formatLocalClock } from "../time-format";
import { revealRange, useScrollWindow } from "../use-scroll-window";
import { eventLabel, explainMarks, ROW_HEIGHT, type AnalyzedEvent, type FlowAnalysis } from "@/server/analysis/flow-analysis";
import { firstRowAtOrAfter, gapLabel } from "./flow-display";
import s from "./timeline.module.css";

const GUTTER = 168;
const LANE_W = 176;
const HEADER_H = 32;
const PAD = 12;
const NODE_H = 22;
const DOT_X = 14;
const OVERSCAN = 600;
const LONG_GAP_MS = 10_000;

const laneX = (lane: number) => GUTTER + lane * LANE_W;
const rowTop = (row: AnalyzedEvent) => HEADER_H + PAD + row.y;

function nodeTitle(row: AnalyzedEvent, laneName: string): string {
  const e = row.event;
  return [
    eventLabel(e),
    `${row.key} · ${formatLocalClock(e.timestamp)}`,
    laneName,
    ...explainMarks(row).map((m) => `⚠ ${m.text}`),
  ].join("\n");
}

function linkPath(a: AnalyzedEvent, b: AnalyzedEvent): string {
  const x1 = laneX(a.lane) + DOT_X;
  const x2 = laneX(b.lane) + DOT_X;
  const y1 = rowTop(a) + NODE_H / 2;
  const y2 = rowTop(b) + NODE_H / 2;
  // Same lane: bow out to the left and arrive from the side; across lanes: leave the cause
  // downwards and arrive on top of the effect.
  if (x1 === x2) {
    const bulge = Math.min(DOT_X + 30, 10 + Math.abs(y2 - y1) / 8);
    return `M${x1 - 5} ${y1} C${x1 - bulge} ${y1} ${x2 - bulge} ${y2} ${x2 - 7} ${y2}`;
  }
  const mid = (y1 + y2) / 2;
  return `M${x1} ${y1 + 5} C${x1} ${mid} ${x2} ${mid} ${x2} ${y2 - 7}`;
}

interface Props {
  analysis: FlowAnalysis;
  selectedKey: string | null;
  onSelect: (key: string) => void;
}

export function Timeline({ analysis, selectedKey, onSelect }: Props) {
  const win = useScrollWindow();
  const { rows, lanes, edges } = analysis;
  const width = GUTTER + lanes.length * LANE_W;
  const height = HEADER_H + PAD * 2 + analysis.height;
  const top = Math.max(0, win.top - OVERSCAN);
  const bottom = Math.min(height, win.top + win.height + OVERSCAN);
  const first = firstRowAtOrAfter(rows, top - HEADER_H - PAD - ROW_HEIGHT);
  const end = firstRowAtOrAfter(rows, bottom - HEADER_H - PAD);
  const visible = rows.slice(first, end);
  const selected = useMemo(() => (selectedKey === null ? undefined : rows.find((r) => r.key === selectedKey)), [rows, selectedKey]);

  // Keyed on the selection alone: a live refresh must not pull the view back to it.
  const selectedTop = selected ? rowTop(selected) : null;
  useEffect(() => {
    if (selectedTop !== null && win.ref.current) revealRange(win.ref.current, selectedTop, NODE_H, HEADER_H);
  }, [selectedKey, selectedTop === null]);

  const links = edges.filter((e) => {
    const y1 = rowTop(rows[e.from]!);
    const y2 = rowTop(rows[e.to]!);
    return Math.min(y1, y2) <= bottom && Math.max(y1, y2) >= top;
  });

  return (
    <div ref={win.ref} className={s.scroller} onScroll={win.onScroll} data-testid="timeline" role="region" aria-label="Timeline of the flow's events" tabIndex={0}>
      <div className={s.canvas} style={{ width, height }}>
        <div className={s.header} style={{ width }}>
          <div className={s.gutterHead}>local time · gap</div>
          {lanes.map((name, i) => (
            <div key={name} className={s.laneHead} style={{ left: laneX(i), width: LANE_W }} title={name}>
              {name}
            </div>
          ))}
        </div>
        <svg className={s.links} style={{ top, height: Math.max(0, bottom - top), width }} aria-hidden="true">
          <defs>
            <marker id="tl-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" markerUnits="userSpaceOnUse" orient="auto">
              <path d="M0 0 L10 5 L0 10 z" className={s.arrow} />
            </marker>
          </defs>
          <g transform={`translate(0 ${-top})`}>
            {lanes.map((name, i) => (
              <line key={name} className={s.laneLine} x1={laneX(i) + DOT_X} x2={laneX(i) + DOT_X} y1={top} y2={bottom} />
            ))}
            {links.map((e) => {
              const hot = selected !== undefined && (e.from === selected.index || e.to === selected.index);
              return <path key={`${e.from}-${e.to}`} d={linkPath(rows[e.from]!, rows[e.to]!)} className={hot ? s.linkHot : s.link} markerEnd="url(#tl-arrow)" />;
            })}
          </g>
        </svg>
        {visible.map((row) => {
          const e = row.event;
          const label = gapLabel(row);
          const cls = [s.node, e.dlq && s.dlq, row.duplicate && s.dup, row.outOfOrder && s.ooo, row.key === selectedKey && s.selected].filter(Boolean).join(" ");
          return (
            <div key={row.key} className={s.row} style={{ top: rowTop(row) }}>
              <div className={s.gutter}>
                <span className="mono">{formatLocalClock(e.timestamp)}</span>
                <span className={`mono ${row.gapMs !== null && row.gapMs >= LONG_GAP_MS ? s.longGap : s.gap}`}>{label}</span>
              </div>
              <button
                type="button"
                className={cls}
                style={{ left: laneX(row.lane) + DOT_X - 5, width: LANE_W - DOT_X - 6 }}
                onClick={() => onSelect(row.key)}
                aria-pressed={row.key === selectedKey}
                title={nodeTitle(row, lanes[row.lane] ?? "")}
                data-testid="timeline-event"
                data-event-key={row.key}
                data-dlq={e.dlq ? "true" : undefined}
                data-duplicate={row.duplicate ? "true" : undefined}
                data-out-of-order={row.outOfOrder ? "true" : undefined}
              >
                <span className={s.dot} aria-hidden="true" />
                <span className={s.label}>{eventLabel(e)}</span>
                {e.dlq && <span className="badge badge-dlq">DLQ</span>}
                {row.duplicate && <span className="badge badge-dup">dup</span>}
                {row.outOfOrder && <span className="badge badge-ooo">OOO</span>}
              </button>
            </div>
          );
        })}
      </div>
    </div>
  );
}
