"use client";
// A topic's records, one fixed-height row each, windowed so that thousands of loaded rows
// scroll smoothly. A row opens the record; its flow link opens the flow it belongs to.
import Link from "next/link";
import type { EventJson } from "@/server/flows/event-json";
import { eventKey, eventLabel } from "@/server/analysis/flow-analysis";
import { flowUrl } from "../api";
import { keyText } from "../flow/bytes";
import { Ago } from "../time";
import { formatLocal } from "../time-format";
import { VirtualList } from "../virtual-list";
import { valuePreview } from "./record-format";
import s from "./topics.module.css";

const ROW_H = 46;
const COLUMNS = ["time", "partition · offset", "key", "event · service", "value", "flow"];

interface Props {
  records: readonly EventJson[];
  /** How many of the first rows came in through the live tail (marked as new). */
  fresh: number;
  openKey: string | null;
  onOpen: (key: string) => void;
  label: string;
}

export function RecordList({ records, fresh, openKey, onOpen, label }: Props) {
  const openIndex = records.findIndex((r) => eventKey(r) === openKey);
  const header = (
    <div className={`${s.grid} ${s.head}`} role="row">
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
      label={label}
      items={records}
      rowHeight={ROW_H}
      header={header}
      headerHeight={30}
      revealIndex={openIndex >= 0 ? openIndex : null}
      renderRow={(r, i) => {
        const key = eventKey(r);
        return (
          <div className={`${s.grid} ${s.row} ${key === openKey ? s.open : ""} ${i < fresh ? s.fresh : ""}`} data-testid="topic-record-row" data-record={key}>
            <button type="button" className={s.rowButton} onClick={() => onOpen(key)} aria-pressed={key === openKey} title={`Show ${key}`}>
              <span className={s.cell}>
                <Ago iso={r.timestamp} />
                <span className="mono muted small">{formatLocal(r.timestamp)}</span>
              </span>
              <span className={`${s.cell} mono`}>
                <span>
                  {r.partition} · {r.offset}
                </span>
              </span>
              <span className={`${s.cell} mono`}>
                <span>{r.key === null ? <span className="muted">no key</span> : keyText(r.key)}</span>
              </span>
              <span className={s.cell}>
                <span className={r.dlq ? s.dlqType : undefined}>{eventLabel(r)}</span>
                <span className="muted small">{r.service ?? "no service"}</span>
              </span>
              <span className={`${s.cell} ${s.preview} mono small`}>
                <span>{valuePreview(r)}</span>
              </span>
            </button>
            {r.correlationId ? (
              <Link href={flowUrl(r.correlationId)} className="small" title={`Open flow ${r.correlationId}`}>
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
