"use client";
import type { DeadLetterJson, EventJson } from "@/server/flows/event-json";
import { CopyButton } from "../copy-button";
import type { AnalyzedEvent } from "@/server/analysis/flow-analysis";
import s from "./event-detail.module.css";

/** Where a dead letter came from and why it failed; a link to the original when it is in the flow. */
export function DeadLetter({ dlq, rows, onSelect }: { dlq: DeadLetterJson; rows: readonly AnalyzedEvent[]; onSelect: (key: string) => void }) {
  const originKey = dlq.sourceTopic === null ? null : `${dlq.sourceTopic}/${dlq.sourcePartition ?? "?"}/${dlq.sourceOffset ?? "?"}`;
  const original = originKey === null ? undefined : rows.find((r) => r.key === originKey);
  return (
    <section className={s.dlqBox} aria-label="Dead letter">
      <h3>Dead letter{dlq.family ? <span className="muted small"> ({dlq.family} conventions)</span> : null}</h3>
      <dl className={s.fields}>
        <dt>Failed record</dt>
        <dd>
          {originKey === null ? (
            <span className="muted">origin not recorded</span>
          ) : (
            <>
              <span className="mono">{originKey}</span> <CopyButton text={originKey} what="origin topic/partition/offset" />
              {original && (
                <button type="button" className={s.jump} onClick={() => onSelect(original.key)}>
                  show it
                </button>
              )}
            </>
          )}
        </dd>
        <dt>Consumer group</dt>
        <dd className="mono">{dlq.failedGroup ?? <span className="muted">not recorded</span>}</dd>
        <dt>Error</dt>
        <dd>
          {dlq.errorClass && <div className="mono">{dlq.errorClass}</div>}
          {dlq.errorMessage ? <pre className={s.error}>{dlq.errorMessage}</pre> : !dlq.errorClass && <span className="muted">not recorded</span>}
        </dd>
        {dlq.attempts !== null && (
          <>
            <dt>Attempts</dt>
            <dd className="mono">{dlq.attempts}</dd>
          </>
        )}
        {dlq.hasStacktrace && (
          <>
            <dt>Stack trace</dt>
            <dd className="muted small">in the record&apos;s headers (below)</dd>
          </>
        )}
      </dl>
    </section>
  );
}

export function HeadersTable({ headers }: { headers: EventJson["headers"] }) {
  const entries = Object.entries(headers);
  return (
    <section className={s.section} aria-label="Headers">
      <h3>
        Headers <span className="muted small">({entries.length})</span>
      </h3>
      {entries.length === 0 ? (
        <p className="muted small">No headers.</p>
      ) : (
        <table className={s.headers}>
          <thead>
            <tr>
              <th scope="col">name</th>
              <th scope="col">value</th>
            </tr>
          </thead>
          <tbody>
            {entries.map(([name, value]) => (
              <tr key={name}>
                <th scope="row" className="mono">
                  {name}
                </th>
                <td className="mono">
                  {typeof value === "string" ? (
                    value
                  ) : (
                    <>
                      <span className="badge badge-plain" title="Not UTF-8: shown as base64">
                        bytes
                      </span>{" "}
                      {value.base64}
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
