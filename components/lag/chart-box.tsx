// The frame of one chart, also shown empty while recharts loads, so the page does not jump.
import type { ReactNode } from "react";
import styles from "./lag.module.css";

export function ChartBox({ title, testId, children }: { title: string; testId?: string; children: ReactNode }) {
  return (
    <section className={styles.chart} data-testid={testId} aria-label={title}>
      <h2>{title}</h2>
      <div className={styles.chartBody}>{children}</div>
    </section>
  );
}

export function ChartsLoading() {
  return (
    <div className={styles.charts}>
      {["Offset lag (records)", "Seconds behind"].map((title) => (
        <ChartBox key={title} title={title}>
          <div className={styles.placeholder}>Loading chart…</div>
        </ChartBox>
      ))}
    </div>
  );
}
