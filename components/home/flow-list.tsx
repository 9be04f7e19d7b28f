"use client";
// A dense list of flows: what to open first is visible at a glance (dead letters, stuck).
import type { FlowSummary } from "@/server/flows/flow-summary";
import Link from "next/link";
import { flowUrl } from "../api";
import { AgoAndAt } from "../time";
import { formatDuration } from "../time-format";
import styles from "./home.module.css";

export function FlowMarks({ flow }: { flow: FlowSummary }) {
  return (
    <span className={styles.marks}>
      {flow.hasDlq && <span className="badge badge-dlq" title="At least one event went to a dead-letter topic">DLQ</span>}
      {flow.stuck && <span className="badge badge-stuck" title="No terminal event, and no activity for longer than FLOWTAP_STUCK_AFTER_S">stuck</span>}
      {flow.completed ? (
        <span className="badge badge-ok" title="A terminal event (FLOWTAP_TERMINAL_EVENTS) was seen">done</span>
      ) : (
        !flow.stuck && <span className="badge badge-plain" title="No terminal event yet">open</span>
      )}
      {flow.fromTrace && <span className="badge badge-plain" title="No correlation ID on these records: grouped by trace ID">trace</span>}
    </span>
  );
}

export function FlowList({ flows }: { flows: readonly FlowSummary[] }) {
  return (
    <div className={styles.list}>
      <div className={`${styles.row} ${styles.head}`} aria-hidden="true">
        <span>Correlation ID</span>
        <span>Services</span>
        <span className={styles.num}>Events</span>
        <span className={styles.num}>Duration</span>
        <span>Last seen</span>
      </div>
      {flows.map((f) => (
        <Link key={f.correlationId} href={flowUrl(f.correlationId)} className={`${styles.row} ${f.hasDlq ? styles.dlq : f.stuck ? styles.stuck : ""}`} data-testid="flow-row">
          <span className={styles.id}>
            <span className="mono" title={f.correlationId}>
              {f.correlationId}
            </span>
            <FlowMarks flow={f} />
          </span>
          <span className={styles.services} title={f.services.join(", ")}>
            {f.services.length ? f.services.join(" · ") : <span className="muted">no service named</span>}
          </span>
          <span className={`${styles.num} mono`}>{f.events.toLocaleString()}</span>
          <span className={`${styles.num} mono`}>{formatDuration(Date.parse(f.lastSeen) - Date.parse(f.firstSeen))}</span>
          <span className="small">
            <AgoAndAt iso={f.lastSeen} />
          </span>
        </Link>
      ))}
    </div>
  );
}
