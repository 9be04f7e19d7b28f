import type { LagStatus } from "@/server/lag/status";
import { STATUS_TONE } from "./chart-data";
import styles from "./lag.module.css";

/** The status in words and colour (the word carries it for colour-blind eyes); the reason on hover. */
export function StatusBadge({ status, reason }: { status: LagStatus; reason: string }) {
  return (
    <span className={`${styles.badge} ${styles[STATUS_TONE[status]]}`} title={reason}>
      {status}
    </span>
  );
}

/** A number, or "no commit" in muted italics: an unknown lag must not read as a healthy 0. */
export function LagValue({ text, known }: { text: string; known: boolean }) {
  return known ? <>{text}</> : <span className={styles.unknown}>{text}</span>;
}
