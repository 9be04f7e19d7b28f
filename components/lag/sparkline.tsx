import { formatLag, sparklinePath, type StatusTone } from "./chart-data";
import type { LagSeriesPoint } from "./lag-api";
import styles from "./lag.module.css";

const W = 120;
const H = 28;

/** Offset lag over the chosen range, hand-drawn: recharts is too heavy for one per row of the list. */
export function Sparkline({ series, from, to, tone }: { series: readonly LagSeriesPoint[]; from: number; to: number; tone: StatusTone }) {
  const d = sparklinePath(series, W, H, from, to);
  const peak = Math.max(0, ...series.map((p) => p.lag ?? 0));
  return (
    <svg
      className={styles.sparkline}
      data-tone={tone}
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      data-testid="lag-sparkline"
    >
      <title>{d ? `Offset lag over the range, peak ${formatLag(peak)}` : "No lag known over this range (no commit)"}</title>
      <line x1={0} y1={H - 0.5} x2={W} y2={H - 0.5} />
      {d && <path d={d} />}
    </svg>
  );
}
