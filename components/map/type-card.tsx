"use client";
// One flow type on the map: its totals, what changed (in words, local time), the step graph and
// its most common paths. Everything in it selects the flows behind it.
import { changeText, formatPercent, stepName } from "@/server/analysis/map-changes";
import type { FlowTypeMap, MapChange } from "@/server/contract/flowmap";
import { FlowGraph } from "./flow-graph";
import s from "./map.module.css";
import type { Selection } from "./map-url";

interface Props {
  map: FlowTypeMap;
  /** The baseline in words ("the hour before"); null without one. */
  baselineLabel: string | null;
  /** How a change's "since" reads here: the reader's own clock. */
  time: (iso: string) => string;
  selected: Selection | null;
  onSelect: (sel: Selection) => void;
}

const n = (x: number) => x.toLocaleString("en-US");
const capital = (t: string) => t.charAt(0).toUpperCase() + t.slice(1);

function changeSelection(type: string, c: MapChange): Selection {
  return c.kind === "stop-share" ? { kind: "stop", type, after: c.after } : { kind: "transition", type, from: c.from, to: c.to };
}

function Changes({ map, baselineLabel, time, onSelect }: Omit<Props, "selected">) {
  if (map.changes.length === 0) return null;
  return (
    <ul className={s.changes} aria-label={`What changed for ${map.type}`}>
      {map.changes.map((c) => (
        <li key={c.kind === "stop-share" ? `stop ${c.after}` : `lat ${c.from}>${c.to}`}>
          <button type="button" className={s.change} data-testid="map-change" data-kind={c.kind} onClick={() => onSelect(changeSelection(map.type, c))}>
            {capital(baselineLabel ? changeText(c, map.type, baselineLabel, time) : c.text)}
          </button>
        </li>
      ))}
    </ul>
  );
}

function Totals({ map }: { map: FlowTypeMap }) {
  const b = map.baseline;
  const was = (x: number | undefined) => (b && x !== undefined ? <span className="muted"> (was {n(x)})</span> : null);
  return (
    <p className={s.totals}>
      <strong>{n(map.flows)}</strong> flows{was(b?.flows)} · <strong>{n(map.completed)}</strong> completed · <span className="badge badge-stuck">{n(map.stuck)} stuck</span>
      {was(b?.stuck)} · <span className="badge badge-dlq">{n(map.dlq)} DLQ</span>
      {was(b?.dlq)}
    </p>
  );
}

function Variants({ map, selected, onSelect }: Pick<Props, "map" | "selected" | "onSelect">) {
  if (map.variants.length === 0) return null;
  return (
    <details className={s.variants} open={map.variants.length <= 5}>
      <summary>Most common paths ({map.variants.length})</summary>
      <ol>
        {map.variants.slice(0, 10).map((v) => {
          const isSel = selected?.kind === "variant" && selected.variant === v.id && selected.type === map.type;
          return (
            <li key={v.id}>
              <button type="button" className={`${s.variant} ${isSel ? s.selectedButton : ""}`} data-testid="map-variant" aria-pressed={isSel}
                onClick={() => onSelect({ kind: "variant", type: map.type, variant: v.id })}>
                <span className={s.share}>{formatPercent(v.share)}</span> <span className="muted">({n(v.flows)})</span> {v.steps.map(stepName).join(" → ")}
              </button>
            </li>
          );
        })}
      </ol>
    </details>
  );
}

export function TypeCard(props: Props) {
  const { map } = props;
  return (
    <section className={s.card} data-testid="map-type" data-type={map.type} aria-labelledby={`type-${map.type}`}>
      <h2 id={`type-${map.type}`} className={s.typeName}>{map.type || "(no type)"}</h2>
      <Totals map={map} />
      <Changes {...props} />
      <FlowGraph map={map} selected={props.selected} onSelect={props.onSelect} />
      <Variants {...props} />
    </section>
  );
}
