import type { LagStatus } from "@/server/lag/status";
import { formatDuration, STATUS_TONE } from "./chart-data";
import styles from "./lag.module.css";

/** The status in words and colour (the word carries it for colour-blind eyes); the reason on hover. */
export function StatusBadge({ status, reason }: { status: LagStatus; reason: string }) {
  return (
    <span className={`${styles.badge} ${styles[STATUS_TONE[status]]}`} title={reason}>
      {status}
    </span>
  );
}

/**
 * "stale": the figures beside it were sampled more than three intervals ago (the server says so,
 * from its clock); flat lag there may only mean nobody measured it.
 */
export function StaleBadge({ stale, ageSeconds }: { stale: boolean; ageSeconds: number }) {
  if (!stale) return null;
  return (
    <span className={`${styles.badge} ${styles.staleBadge}`} data-testid="lag-stale" title={`Sampled ${formatDuration(ageSeconds)} ago: these figures are old`}>
      stale
    </span>
  );
}

/** Members, or "?" when the latest tick could not read the group's membership. */
export function Members({ n }: { n: number | null }) {
  return n === null ? <span className={styles.unknown} title="membership could not be read on the latest sample">?</span> : <>{n}</>;
}

/** A number, or "no commit" in muted italics: an unknown lag must not read as a healthy 0. */
export function LagValue({ text, known }: { text: string; known: boolean }) {
  return known ? <>{text}</> : <span className={styles.unknown}>{text}</span>;
}
