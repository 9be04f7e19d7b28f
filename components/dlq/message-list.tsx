"use client";
// The dead letters of one topic, newest first: one fixed-height row each, windowed so that
// thousands of loaded rows scroll smoothly. A row's checkbox selects it; the rest opens it.
import Link from "next/link";
import type { DeadLetterMessage } from "@/server/dlq/dead-letter-json";
import { flowUrl } from "../api";
import { eventKey } from "@/server/analysis/flow-analysis";
import { keyText } from "../flow/bytes";
import { Ago } from "../time";
import { formatLocal } from "../time-format";
import { VirtualList } from "../virtual-list";
import { originText } from "./dlq-format";
import { ReasonText } from "./reason";
import { ReplayBadge } from "./replay-badge";
import type { Selection } from "./use-selection";
import s from "./messages.module.css";

const ROW_H = 46;
const COLUMNS = ["failed", "key · failed record", "error", "consumer group", "replay", "flow"];

interface Props {
  messages: readonly DeadLetterMessage[];
  openKey: string | null;
  onOpen: (key: string) => void;
  selection: Selection;
}

export function MessageList({ messages, openKey, onOpen, selection }: Props) {
  const openIndex = messages.findIndex((m) => eventKey(m) === openKey);
  const header = (
    <div className={`${s.grid} ${s.head}`} role="row">
      <span role="columnheader">
        <span className="sr-only">select</span>
      </span>
      {COLUMNS.map((c) => (
        <span key={c} role="columnheader">
          {c}
        </span>
      ))}
    </div>
  );
  return (
    <VirtualList
      className={s.list}
      label="Dead letters, newest first"
      items={messages}
      rowHeight={ROW_H}
      header={header}
      headerHeight={30}
      revealIndex={openIndex >= 0 ? openIndex : null}
      renderRow={(m) => {
        const key = eventKey(m);
        const from = originText(m.dlq);
        return (
          <div className={`${s.grid} ${s.row} ${key === openKey ? s.open : ""}`} data-testid="dlq-message-row" data-record={key}>
            <input type="checkbox" data-testid="dlq-select" checked={selection.has(key)} onChange={() => selection.toggle(key)} aria-label={`Select ${key}`} />
            <button type="button" className={s.rowButton} onClick={() => onOpen(key)} aria-pressed={key === openKey} title={`Show ${key}`}>
              <span className={s.cell}>
                <Ago iso={m.timestamp} />
                <span className="mono muted small">{formatLocal(m.timestamp)}</span>
              </span>
              <span className={s.cell}>
                <span className="mono">{m.key === null ? <span className="muted">no key</span> : keyText(m.key)}</span>
                <span className="mono muted small">{from ?? "origin not recorded"}</span>
              </span>
              <span className={`${s.cell} ${s.error}`}>
                <ReasonText errorClass={m.dlq?.errorClass ?? null} errorMessage={m.dlq?.errorMessage ?? null} />
              </span>
              <span className={`${s.cell} mono small`}>
                <span>{m.dlq?.failedGroup ?? <span className="muted">not recorded</span>}</span>
              </span>
              <span className={s.cell}>
                <ReplayBadge replay={m.replay} />
              </span>
            </button>
            {m.correlationId ? (
              <Link href={flowUrl(m.correlationId)} className="small" title={`Open flow ${m.correlationId}`}>
                flow
              </Link>
            ) : (
              <span className="muted small" title="No correlation or trace ID on this record">
                none
              </span>
            )}
          </div>
        );
      }}
    />
  );
}
