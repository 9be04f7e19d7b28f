"use client";
// Everything the index knows about one record, laid out for copying into a ticket.
import type { ReactNode } from "react";
import { CopyButton } from "../copy-button";
import { formatLocal, formatUtc } from "../time-format";
import { eventLabel, explainMarks, type AnalyzedEvent, type FlowAnalysis } from "@/server/analysis/flow-analysis";
import { keyText } from "./bytes";
import { DeadLetter, HeadersTable } from "./event-detail-parts";
import { PayloadView } from "./payload-view";
import s from "./event-detail.module.css";

const MAX_EFFECTS = 12;

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

function Id({ value, what }: { value: string | null; what: string }) {
  if (value === null) return <span className="muted">none</span>;
  return (
    <>
      <span className="mono">{value}</span> <CopyButton text={value} what={what} />
    </>
  );
}

function Jump({ row, onSelect }: { row: AnalyzedEvent; onSelect: (key: string) => void }) {
  return (
    <button type="button" className={s.jump} onClick={() => onSelect(row.key)} title={`Show ${row.key}`}>
      {eventLabel(row.event)} <span className="mono muted">{row.key}</span>
    </button>
  );
}

interface Props {
  row: AnalyzedEvent;
  analysis: FlowAnalysis;
  onSelect: (key: string) => void;
  onClose: () => void;
}

export function EventDetail({ row, analysis, onSelect, onClose }: Props) {
  const e = row.event;
  const marks = explainMarks(row);
  const causeEdge = analysis.edges.find((x) => x.to === row.index);
  const cause = causeEdge ? analysis.rows[causeEdge.from] : undefined;
  const effects = analysis.edges.filter((x) => x.from === row.index).map((x) => analysis.rows[x.to]!);
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;

  return (
    <aside className={s.panel} data-testid="event-detail" aria-label="Event detail">
      <header className={s.head}>
        <h2 className={e.eventType === null ? `${s.title} muted` : s.title}>{eventLabel(e)}</h2>
        <button type="button" onClick={onClose} aria-label="Close event detail" title="Close (Esc)">
          ×
        </button>
      </header>
      {marks.length > 0 && (
        <ul className={s.marks}>
          {marks.map((m) => (
            <li key={m.kind} className={s[m.kind]}>
              {m.text}
            </li>
          ))}
        </ul>
      )}
      <dl className={s.fields}>
        <Field label="Record">
          <Id value={row.key} what="topic/partition/offset" />
        </Field>
        <Field label="Topic">
          <span className="mono">{e.topic}</span>
        </Field>
        <Field label="Partition · offset">
          <span className="mono">
            {e.partition} · {e.offset}
          </span>
        </Field>
        <Field label="Time (local)">
          <span className="mono">{formatLocal(e.timestamp)}</span> <span className="muted small">{zone}</span>
        </Field>
        <Field label="Time (UTC)">
          <Id value={formatUtc(e.timestamp)} what="UTC timestamp" />
        </Field>
        <Field label="Key">
          {e.key === null ? <span className="muted">null</span> : <Id value={keyText(e.key)} what="record key" />}
        </Field>
        <Field label="Service">{e.service ?? <span className="muted">not named in the record</span>}</Field>
        <Field label="Event ID">
          <Id value={e.eventId} what="event ID" />
        </Field>
        <Field label="Version">{e.eventVersion ?? <span className="muted">none</span>}</Field>
        <Field label="Caused by">
          {e.causationId === null ? (
            <span className="muted">not stated</span>
          ) : cause ? (
            <Jump row={cause} onSelect={onSelect} />
          ) : (
            <>
              <span className="mono">{e.causationId}</span> <span className="muted small">(not an event of this flow)</span>
            </>
          )}
        </Field>
        {effects.length > 0 && (
          <Field label="Led to">
            {effects.slice(0, MAX_EFFECTS).map((r) => (
              <Jump key={r.key} row={r} onSelect={onSelect} />
            ))}
            {effects.length > MAX_EFFECTS && <span className="muted small">and {effects.length - MAX_EFFECTS} more</span>}
          </Field>
        )}
        <Field label="Trace ID">
          <Id value={e.traceId} what="trace ID" />
        </Field>
        <Field label="Correlation ID">
          <Id value={e.correlationId} what="correlation ID" />
          {e.correlationFromTrace && <span className="muted small"> (no correlation ID on the record: its trace ID stands in)</span>}
        </Field>
      </dl>
      {e.anomalies && (
        <div role="note" data-testid="event-anomalies">
          <strong>Stored in a changed form</strong> (the record in Kafka is unchanged):
          <ul>
            {e.anomalies.map((a) => (
              <li key={a}>{a}</li>
            ))}
          </ul>
        </div>
      )}
      {e.dlq && <DeadLetter dlq={e.dlq} rows={analysis.rows} onSelect={onSelect} />}
      <HeadersTable headers={e.headers} />
      <PayloadView event={e} />
    </aside>
  );
}
