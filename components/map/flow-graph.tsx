"use client";
// One flow type's step graph as SVG. Every step, transition label and stop is a focusable button
// (Enter or Space selects it, as a click does), so the map works from the keyboard.
import { useId, type KeyboardEvent } from "react";
import { formatMs, formatPercent } from "@/server/analysis/map-changes";
import type { FlowTypeMap, MapStop, MapTransition } from "@/server/contract/flowmap";
import { layoutType, NODE_H, NODE_W, type NodeBox } from "./graph-layout";
import s from "./map.module.css";
import type { Selection } from "./map-url";

interface Props {
  map: FlowTypeMap;
  selected: Selection | null;
  onSelect: (sel: Selection) => void;
}

function activate(fn: () => void) {
  return {
    role: "button",
    tabIndex: 0,
    onClick: fn,
    onKeyDown: (e: KeyboardEvent) => {
      if (e.key === "Enter" || e.key === " ") {
        e.preventDefault();
        fn();
      }
    },
  };
}

const n = (x: number) => x.toLocaleString("en-US");
const ms = (x: number | null) => (x === null ? "–" : formatMs(x));
const fit = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** p50/p95, as the edge shows them. */
const times = (t: MapTransition) => `${ms(t.p50Ms)}/${ms(t.p95Ms)}`;

function transitionLabel(t: MapTransition): string {
  return `${n(t.flows)} flows, p50 ${ms(t.p50Ms)}, p95 ${ms(t.p95Ms)}${t.baseline ? ` (before: p95 ${ms(t.baseline.p95Ms)})` : ""}`;
}

function stopLabel(stop: MapStop): string {
  const was = stop.baseline ? `, ${formatPercent(stop.baseline.share)} before` : "";
  return `${formatPercent(stop.share)} stop here: ${n(stop.stuck)} stuck, ${n(stop.dlq)} dead-lettered${was}`;
}

function Node({ box, map, selected, onSelect }: { box: NodeBox; map: FlowTypeMap } & Omit<Props, "map">) {
  const st = box.step;
  const isSel = selected?.kind === "step" && selected.step === st.id && selected.type === map.type;
  const marks = [st.dlq && `${n(st.dlq)} DLQ`, st.duplicates && `${n(st.duplicates)} dup`, st.outOfOrder && `${n(st.outOfOrder)} ooo`].filter(Boolean).join(" · ");
  return (
    <g
      {...activate(() => onSelect({ kind: "step", type: map.type, step: st.id }))}
      className={`${s.node} ${isSel ? s.selected : ""}`}
      data-testid="map-step"
      data-step={st.id}
      aria-label={`${st.eventType || "(no type)"} in ${st.service || "(no service)"}: ${n(st.flows)} flows${marks ? `, ${marks}` : ""}`}
      transform={`translate(${box.x},${box.y})`}
    >
      <title>{`${st.service} · ${st.eventType}\n${n(st.flows)} flows reached this step${marks ? `\n${marks}` : ""}`}</title>
      <rect width={NODE_W} height={NODE_H} rx={6} />
      <text x={8} y={17} className={s.nodeTitle}>{fit(st.eventType || "(no type)", 17)}</text>
      <text x={8} y={32} className={s.nodeSub}>{fit(st.service || "(no service)", 20)}</text>
      <text x={8} y={49} className={s.nodeCount}>
        {n(st.flows)}
        <tspan className={s.nodeMarks}>{marks ? `  ${marks}` : ""}</tspan>
      </text>
    </g>
  );
}

function StopMark({ box, map, selected, onSelect, changed }: { box: NodeBox; map: FlowTypeMap; changed: boolean } & Omit<Props, "map">) {
  const stop = box.stop!;
  const isSel = selected?.kind === "stop" && selected.after === stop.after && selected.type === map.type;
  return (
    <g
      {...activate(() => onSelect({ kind: "stop", type: map.type, after: stop.after }))}
      className={`${s.stop} ${changed ? s.changed : ""} ${isSel ? s.selected : ""}`}
      data-testid="map-stop"
      data-step={stop.after}
      data-changed={changed}
      aria-label={stopLabel(stop)}
      transform={`translate(${box.x},${box.y + NODE_H + 6})`}
    >
      <title>{stopLabel(stop)}</title>
      <rect width={NODE_W} height={22} rx={11} />
      <text x={NODE_W / 2} y={15} textAnchor="middle">{`■ ${formatPercent(stop.share)} stop (${n(stop.flows)})`}</text>
    </g>
  );
}

export function FlowGraph({ map, selected, onSelect }: Props) {
  const layout = layoutType(map);
  const arrow = `arrow-${useId().replace(/[^a-zA-Z0-9_-]/g, "")}`;
  const changedStops = new Set(map.changes.flatMap((c) => (c.kind === "stop-share" ? [c.after] : [])));
  const changedEdges = new Set(map.changes.flatMap((c) => (c.kind === "latency" ? [`${c.from}>${c.to}`] : [])));
  return (
    <div className={s.graphScroll}>
      <svg width={layout.width} height={layout.height} className={s.graph} aria-label={`Steps of ${map.type} flows`} role="group">
        <defs>
          <marker id={arrow} viewBox="0 0 8 8" refX="7" refY="4" markerWidth="9" markerHeight="9" markerUnits="userSpaceOnUse" orient="auto-start-reverse">
            <path d="M0,0 L8,4 L0,8 z" className={s.arrowHead} />
          </marker>
        </defs>
        {layout.edges.map((e) => {
          const id = `${e.t.from}>${e.t.to}`;
          const isSel = selected?.kind === "transition" && selected.type === map.type && `${selected.from}>${selected.to}` === id;
          const changed = changedEdges.has(id);
          return (
            <g
              key={id}
              {...activate(() => onSelect({ kind: "transition", type: map.type, from: e.t.from, to: e.t.to }))}
              className={`${s.edge} ${changed ? s.changed : ""} ${isSel ? s.selected : ""}`}
              data-testid="map-transition"
              data-from={e.t.from}
              data-to={e.t.to}
              data-changed={changed}
              aria-label={`Transition: ${transitionLabel(e.t)}`}
            >
              <title>{transitionLabel(e.t)}</title>
              <path d={e.d} strokeWidth={e.width} markerEnd={`url(#${arrow})`} className={s.edgeLine} />
              <path d={e.d} className={s.edgeHit} />
              {e.straight ? (
                <>
                  <text x={e.lx} y={e.ly} textAnchor="middle" className={s.edgeLabel}>{n(e.t.flows)}</text>
                  <text x={e.lx} y={e.ly + 22} textAnchor="middle" className={s.edgeTime}>{times(e.t)}</text>
                </>
              ) : (
                <text x={e.lx} y={e.ly} textAnchor="middle" className={s.edgeLabel}>{`${n(e.t.flows)} · ${times(e.t)}`}</text>
              )}
            </g>
          );
        })}
        {layout.nodes.map((box) => (
          <g key={box.step.id}>
            <Node box={box} map={map} selected={selected} onSelect={onSelect} />
            {box.stop && box.stop.flows > 0 && <StopMark box={box} map={map} selected={selected} onSelect={onSelect} changed={changedStops.has(box.step.id)} />}
          </g>
        ))}
      </svg>
    </div>
  );
}
