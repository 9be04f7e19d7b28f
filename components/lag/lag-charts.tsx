"use client";
// The group page's charts: offset lag and seconds behind over the range, per topic or per
// partition, with rebalances and status changes as vertical lines. The only importer of
// recharts, loaded with next/dynamic by group-view.tsx so no other page carries it.
import { useMemo } from "react";
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatLocal } from "../time-format";
import {
  chartDomain,
  chartMarkers,
  formatAxisSeconds,
  formatCount,
  formatDuration,
  formatLag,
  secondsTicks,
  timeTickLabel,
  timeTicks,
  toChartRows,
  type ChartData,
  type ChartMarker,
  type DetailMode,
  type LagRange,
} from "./chart-data";
import { ChartBox } from "./chart-box";
import styles from "./lag.module.css";
import { useLag } from "./use-lag";

/** As many lines as lag.module.css has colours (--s0 … --s11). */
const MAX_LINES = 12;
const AXIS_TICK = { fill: "var(--muted)", fontSize: 11 };

type Metric = "lag" | "time";

interface ChartProps {
  metric: Metric;
  data: ChartData;
  markers: ChartMarker[];
  domain: [number, number];
}

/** A line without a value at that instant had no commit: say so, as the tables do. */
function valueText(metric: Metric, v: unknown): string {
  const n = typeof v === "number" ? v : null;
  return metric === "lag" ? formatLag(n) : formatDuration(n);
}

function LagChart({ metric, data, markers, domain }: ChartProps) {
  const { ticks, step } = timeTicks(domain[0], domain[1]);
  const yTicks = metric === "time" ? secondsTicks(data.maxTimeLag) : undefined;
  return (
    <ResponsiveContainer width="100%" height="100%">
      <LineChart data={data.rows} margin={{ top: 14, right: 16, bottom: 0, left: 0 }}>
        <CartesianGrid stroke="var(--grid)" vertical={false} />
        <XAxis
          dataKey="t"
          type="number"
          scale="time"
          domain={domain}
          allowDataOverflow
          ticks={ticks}
          tickFormatter={(t: number) => timeTickLabel(t, step)}
          tick={AXIS_TICK}
          stroke="var(--border)"
        />
        <YAxis
          width={58}
          allowDecimals={false}
          ticks={yTicks}
          domain={yTicks ? [0, yTicks.at(-1)!] : [0, "auto"]}
          tickFormatter={metric === "lag" ? formatCount : formatAxisSeconds}
          tick={AXIS_TICK}
          stroke="var(--border)"
        />
        <Tooltip
          isAnimationActive={false}
          wrapperStyle={{ zIndex: 1 }} // above the legend, which comes later in the DOM
          labelFormatter={(t) => (typeof t === "number" ? formatLocal(new Date(t).toISOString()) : "")}
          formatter={(v, name) => [valueText(metric, v), name]}
          contentStyle={{ background: "var(--surface)", border: "1px solid var(--border)", borderRadius: 6, fontSize: 12 }}
          labelStyle={{ color: "var(--fg)", fontWeight: 600 }}
        />
        {data.lines.length > 1 && <Legend wrapperStyle={{ fontSize: 12 }} />}
        {markers.map((m, i) => (
          <ReferenceLine
            key={`${i}-${m.t}`}
            x={m.t}
            stroke={`var(--marker-${m.kind})`}
            strokeDasharray="4 3"
            label={
              m.label === null
                ? undefined
                : { value: m.label, position: m.side === "left" ? "insideTopRight" : "insideTopLeft", fill: `var(--marker-${m.kind})`, fontSize: 11 }
            }
          />
        ))}
        {data.lines.map((l) => (
          <Line
            key={l.key}
            dataKey={`${metric}_${l.key}`}
            name={l.label}
            type="linear"
            stroke={`var(--${l.key})`}
            strokeWidth={1.5}
            dot={false}
            isAnimationActive={false}
          />
        ))}
      </LineChart>
    </ResponsiveContainer>
  );
}

export function LagCharts({ group, range, detail }: { group: string; range: LagRange; detail: DetailMode }) {
  const { data: answer } = useLag(range, group, { poll: false });
  const g = answer?.groups.find((x) => x.group === group);
  const sampledAt = answer?.sampledAt ?? null;
  const shaped = useMemo(() => {
    if (!g || sampledAt === null) return null;
    const domain = chartDomain(sampledAt, range);
    return { domain, data: toChartRows(g.series, g.partitionSeries, detail, MAX_LINES), markers: chartMarkers(g.markers, domain[0], domain[1]) };
  }, [g, sampledAt, range, detail]);
  if (!shaped) return null;
  const { data, markers, domain } = shaped;
  const empty = data.rows.length === 0;
  const per = { topic: "per topic", partition: "per partition", total: "group total" }[data.by];
  return (
    <>
      {data.hidden > 0 && (
        <p className="muted small">
          Showing the {data.lines.length} {data.by === "partition" ? "partitions" : "topics"} with the highest peak lag; {data.hidden} more are in the table
          below.
        </p>
      )}
      <div className={styles.charts}>
        {(["lag", "time"] as const).map((metric) => (
          <ChartBox
            key={metric}
            title={metric === "lag" ? `Offset lag (records), ${per}` : `Seconds behind, ${per}`}
            testId={metric === "lag" ? "lag-chart-offset" : "lag-chart-time"}
          >
            {empty ? (
              <div className={styles.placeholder}>No samples in this range yet.</div>
            ) : (
              <LagChart metric={metric} data={data} markers={markers} domain={domain} />
            )}
          </ChartBox>
        ))}
      </div>
    </>
  );
}
