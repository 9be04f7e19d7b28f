"use client";
// One dead letter in full: where it failed and why, its replays, the stack trace (fetched when
// the panel opens: the list leaves it out), the headers and the payload.
import Link from "next/link";
import type { ReactNode } from "react";
import type { DeadLetterMessage } from "@/server/dlq/dead-letter-json";
import { errorText, flowUrl } from "../api";
import { CopyButton } from "../copy-button";
import { eventLabel } from "@/server/analysis/flow-analysis";
import { keyText } from "../flow/bytes";
import { HeadersTable } from "../flow/event-detail-parts";
import { PayloadView } from "../flow/payload-view";
import { AgoAndAt } from "../time";
import { formatUtc } from "../time-format";
import { originText } from "./dlq-format";
import { ReplayBadge } from "./replay-badge";
import { dlqTopicUrl, parseRecordKey } from "./url-state";
import { useDeadLetterRecord } from "./use-dead-letters";
import d from "../flow/event-detail.module.css";
import s from "./messages.module.css";

function Copyable({ text, what }: { text: string; what: string }) {
  return (
    <>
      <span className="mono">{text}</span> <CopyButton text={text} what={what} />
    </>
  );
}

function Stacktrace({ recordKey, has }: { recordKey: string; has: boolean }) {
  const query = useDeadLetterRecord(has ? recordKey : null);
  const trace = query.data?.stacktrace;
  return (
    <section className={d.section} aria-label="Stack trace" data-testid="dlq-stacktrace">
      <h3>Stack trace</h3>
      {!has ? (
        <p className="muted small">None: the dead-letter headers of this record carry no stack trace.</p>
      ) : query.isPending ? (
        <p className="muted small">Loading the stack trace…</p>
      ) : query.isError ? (
        <p className="error-box small">
          Could not load it: {errorText(query.error)}{" "}
          <button type="button" onClick={() => void query.refetch()}>
            Retry
          </button>
        </p>
      ) : trace ? (
        <>
          <CopyButton text={trace} what="stack trace" label="Copy stack trace" />
          <pre className={s.trace}>{trace}</pre>
        </>
      ) : (
        <p className="muted small">This record is no longer in the index.</p>
      )}
    </section>
  );
}

/** The earlier dead letter a replayed record came from, opened in its topic's list. */
function ReplayOfLink({ of }: { of: string }) {
  const ref = parseRecordKey(of);
  if (!ref) return <span className="mono">{of}</span>;
  return (
    <Link href={dlqTopicUrl(ref.topic, new URLSearchParams({ record: of }))} className="mono">
      {of}
    </Link>
  );
}

/** `actions`: the replay buttons, for those who may replay. */
export function MessageDetail({ message: m, onClose, actions }: { message: DeadLetterMessage; onClose: () => void; actions?: ReactNode }) {
  const key = `${m.topic}/${m.partition}/${m.offset}`;
  const dlq = m.dlq;
  const origin = originText(dlq);
  return (
    <aside className={d.panel} data-testid="dlq-detail" aria-label="Dead letter detail">
      <header className={d.head}>
        <h2 className={d.title}>{eventLabel(m)}</h2>
        <button type="button" onClick={onClose} aria-label="Close dead letter detail" title="Close (Esc)">
          ×
        </button>
      </header>
      <dl className={d.fields}>
        <dt>Record</dt>
        <dd>
          <Copyable text={key} what="topic/partition/offset" />
        </dd>
        <dt>Failed at</dt>
        <dd>
          <AgoAndAt iso={m.timestamp} />
          <div className="mono muted small">{formatUtc(m.timestamp)}</div>
        </dd>
        <dt>Key</dt>
        <dd>{m.key === null ? <span className="muted">null</span> : <Copyable text={keyText(m.key)} what="record key" />}</dd>
        <dt>Flow</dt>
        <dd>
          {m.correlationId ? <Link href={flowUrl(m.correlationId)} className="mono">{m.correlationId}</Link> : <span className="muted">no correlation ID</span>}
        </dd>
        {m.replayOf && (
          <>
            <dt>Failed again</dt>
            <dd data-testid="dlq-replay-of">
              replayed from{" "}
              <ReplayOfLink of={m.replayOf.of} />
              {m.replayOf.cycle !== null && <span className="muted small"> (replay #{m.replayOf.cycle})</span>}
            </dd>
          </>
        )}
        <dt>Replay</dt>
        <dd>
          <ReplayBadge replay={m.replay} />
          {m.replay && <span className="muted small"> {m.replay.status === "failed" ? m.replay.error : m.replay.targetTopic ? `to ${m.replay.targetTopic}/${m.replay.targetPartition ?? "?"}/${m.replay.targetOffset ?? "?"}` : ""}</span>}
          {actions && <div>{actions}</div>}
        </dd>
      </dl>
      {dlq && (
        <section className={d.dlqBox} aria-label="Why it failed">
          <h3>Why it failed{dlq.family ? <span className="muted small"> ({dlq.family} conventions)</span> : null}</h3>
          <dl className={d.fields}>
            <dt>Failed record</dt>
            <dd>
              {origin ? <Copyable text={origin} what="where the failed record was" /> : <span className="muted">origin not recorded</span>}
              {origin && dlq.sourcePartition === null && <span className="muted small"> (topic inferred from the name; no partition or offset in the headers)</span>}
            </dd>
            <dt>Consumer group</dt>
            <dd className="mono">{dlq.failedGroup ?? <span className="muted">not recorded</span>}</dd>
            <dt>Error class</dt>
            <dd className="mono">{dlq.errorClass ?? <span className="muted">not recorded</span>}</dd>
            <dt>Message</dt>
            <dd>{dlq.errorMessage !== null ? <pre className={d.error}>{dlq.errorMessage}</pre> : <span className="muted">not recorded</span>}</dd>
            {dlq.attempts !== null && (
              <>
                <dt>Attempts</dt>
                <dd className="mono">{dlq.attempts}</dd>
              </>
            )}
          </dl>
        </section>
      )}
      <Stacktrace recordKey={key} has={dlq?.hasStacktrace ?? false} />
      <HeadersTable headers={m.headers} />
      {dlq?.hasStacktrace && <p className="muted small">The header that carried the stack trace is shown under Stack trace above.</p>}
      <PayloadView event={m} />
    </aside>
  );
}
