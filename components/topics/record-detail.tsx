"use client";
// One record in full: where it is, its IDs, the flow it belongs to, its headers and its value
// (decoded as the index holds it: folding JSON, text, or hex for bytes).
import Link from "next/link";
import type { EventJson } from "@/server/flows/event-json";
import { eventKey, eventLabel } from "@/server/analysis/flow-analysis";
import { flowUrl } from "../api";
import { CopyButton } from "../copy-button";
import { keyText } from "../flow/bytes";
import { HeadersTable } from "../flow/event-detail-parts";
import { PayloadView } from "../flow/payload-view";
import { AgoAndAt } from "../time";
import { formatUtc } from "../time-format";
import d from "../flow/event-detail.module.css";

function Id({ value, what }: { value: string | null; what: string }) {
  if (value === null) return <span className="muted">none</span>;
  return (
    <>
      <span className="mono">{value}</span> <CopyButton text={value} what={what} />
    </>
  );
}

export function RecordDetail({ record: r, onClose }: { record: EventJson; onClose: () => void }) {
  const key = eventKey(r);
  return (
    <aside className={d.panel} data-testid="topic-record-detail" aria-label="Record detail">
      <header className={d.head}>
        <h2 className={d.title}>{eventLabel(r)}</h2>
        <button type="button" onClick={onClose} aria-label="Close record detail" title="Close (Esc)">
          ×
        </button>
      </header>
      <dl className={d.fields}>
        <dt>Record</dt>
        <dd>
          <Id value={key} what="topic/partition/offset" />
        </dd>
        <dt>Time</dt>
        <dd>
          <AgoAndAt iso={r.timestamp} />
          <div className="mono muted small">{formatUtc(r.timestamp)}</div>
        </dd>
        <dt>Key</dt>
        <dd>{r.key === null ? <span className="muted">null</span> : <Id value={keyText(r.key)} what="record key" />}</dd>
        <dt>Flow</dt>
        <dd data-testid="record-flow">
          {r.correlationId ? (
            <Link href={flowUrl(r.correlationId)} className="mono">
              {r.correlationId}
            </Link>
          ) : (
            <span className="muted">no correlation ID</span>
          )}
          {r.correlationFromTrace && <span className="muted small"> (from the trace ID)</span>}
        </dd>
        <dt>Service</dt>
        <dd className="mono">{r.service ?? <span className="muted">not known</span>}</dd>
        <dt>Event ID</dt>
        <dd>
          <Id value={r.eventId} what="event ID" />
        </dd>
        <dt>Caused by</dt>
        <dd>
          <Id value={r.causationId} what="causation ID" />
        </dd>
        <dt>Trace</dt>
        <dd>
          <Id value={r.traceId} what="trace ID" />
        </dd>
        {r.dlq && (
          <>
            <dt>Dead letter</dt>
            <dd>
              <Link href={`/dlq/${encodeURIComponent(r.topic)}?${new URLSearchParams({ record: key })}`}>open in the dead-letter view</Link>
              {r.dlq.errorMessage && <div className="small">{r.dlq.errorMessage}</div>}
            </dd>
          </>
        )}
        {r.anomalies && (
          <>
            <dt>Stored changed</dt>
            <dd className="small">{r.anomalies.join("; ")}</dd>
          </>
        )}
      </dl>
      <HeadersTable headers={r.headers} />
      <PayloadView event={r} />
    </aside>
  );
}
