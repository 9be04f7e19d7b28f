import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  chartDomain,
  chartMarkers,
  formatAxisSeconds,
  formatCount,
  formatDuration,
  formatLag,
  parseDetail,
  parseRange,
  sampleIsStale,
  secondsTicks,
  sortPartitions,
  sparklinePath,
  STATUS_ORDER,
  STATUS_TONE,
  timeTickLabel,
  timeTicks,
  toChartRows,
} from "../../components/lag/chart-data";
import type { LagSeriesPoint, PartitionLag, PartitionSeries } from "../../components/lag/lag-api";
import { LAG_STATUSES, type LagStatus } from "../../server/lag/status";

const T0 = Date.UTC(2026, 3, 25, 9, 0, 0);
const iso = (s: number) => new Date(T0 + s * 1000).toISOString();
const pt = (s: number, lag: number | null, timeLag: number | null = null): LagSeriesPoint => ({ t: iso(s), lag, timeLag });
const ps = (topic: string, partition: number, points: LagSeriesPoint[]): PartitionSeries => ({ topic, partition, points });

describe("URL params", () => {
  test("a known range is kept; anything else falls back to 1h", () => {
    assert.deepEqual(["15m", "1h", "6h", "24h", "7d"].map(parseRange), ["15m", "1h", "6h", "24h", "7d"]);
    assert.deepEqual([null, "", "2h", "7D", "2026-04-25T09:00:00Z"].map(parseRange), ["1h", "1h", "1h", "1h", "1h"]);
  });
  test("detail is per topic unless it says partition", () => {
    assert.deepEqual(["partition", "topic", null, "PARTITION"].map(parseDetail), ["partition", "topic", "topic", "topic"]);
  });
});

describe("status", () => {
  test("the client's order is the server's LAG_STATUSES order", () => {
    assert.deepEqual(STATUS_ORDER, LAG_STATUSES);
  });
  test("colours: OK green, WARN amber, STALL and REWIND orange, STOP red, ERR grey-red", () => {
    const expected: Record<LagStatus, string> = { OK: "ok", WARN: "warn", STALL: "stuck", REWIND: "stuck", STOP: "stop", ERR: "err" };
    assert.deepEqual(STATUS_TONE, expected);
  });
  test("partitions: worst status first, then topic and partition; the input is left alone", () => {
    const p = (topic: string, partition: number, status: LagStatus) => ({ topic, partition, status }) as PartitionLag;
    const input = [p("b", 1, "OK"), p("a", 2, "OK"), p("a", 10, "OK"), p("z", 0, "STALL"), p("c", 0, "ERR"), p("a", 0, "WARN")];
    const sorted = sortPartitions(input).map((x) => `${x.topic}/${x.partition}`);
    assert.deepEqual(sorted, ["c/0", "z/0", "a/0", "a/2", "a/10", "b/1"]);
    assert.equal(input[0]!.topic, "b");
  });
});

describe("formatting", () => {
  test("an unknown lag says no commit, never 0", () => {
    assert.equal(formatLag(null), "no commit");
    assert.equal(formatLag(0), "0");
    assert.equal(formatLag(1_234_567), "1,234,567");
    assert.equal(formatDuration(null), "no commit");
  });
  test("seconds behind reads as a human duration, two units at most", () => {
    const cases: Array<[number, string]> = [
      [0, "0 s"], [0.4, "< 1 s"], [7, "7 s"], [59.6, "1 min"], [252, "4 min 12 s"], [3600, "1 h"],
      [3 * 3600 + 5 * 60 + 59, "3 h 5 min"], [86_400, "1 d"], [2 * 86_400 + 3600 + 42, "2 d 1 h"],
    ];
    assert.deepEqual(cases.map(([s]) => formatDuration(s)), cases.map(([, text]) => text));
  });
  test("axis ticks are short", () => {
    assert.deepEqual([0, 950, 1_200, 3_400_000].map(formatCount), ["0", "950", "1.2K", "3.4M"]);
    assert.deepEqual([0, 30, 150, 4500, 14_400, 129_600, 172_800].map(formatAxisSeconds), ["0", "30 s", "2.5 min", "75 min", "4 h", "36 h", "2 d"]);
  });
  test("seconds-axis ticks fall on round durations from 0 past the max", () => {
    assert.deepEqual(secondsTicks(252), [0, 60, 120, 180, 240, 300]);
    assert.deepEqual(secondsTicks(3), [0, 1, 2, 3]);
    assert.deepEqual(secondsTicks(4 * 3600 + 1), [0, 3600, 7200, 10_800, 14_400, 18_000]);
    assert.deepEqual(secondsTicks(0), [0, 1]);
    assert.deepEqual(secondsTicks(60 * 86_400), [0, 1_209_600, 2_419_200, 3_628_800, 4_838_400, 6_048_000]);
  });
});

describe("sampling window", () => {
  test("a sample is stale after three intervals and 5 s of slack, and never without a clock", () => {
    assert.equal(sampleIsStale(iso(0), 10, T0 + 35_000), false);
    assert.equal(sampleIsStale(iso(0), 10, T0 + 35_001), true);
    assert.equal(sampleIsStale(iso(0), 60, T0 + 120_000), false);
    assert.equal(sampleIsStale(iso(0), 10, 0), false);
  });
  test("the chart window ends at the latest sample", () => {
    assert.deepEqual(chartDomain(iso(3600), "1h"), [T0, T0 + 3_600_000]);
    assert.deepEqual(chartDomain(iso(0), "7d"), [T0 - 7 * 86_400_000, T0]);
  });
});

describe("sparklinePath", () => {
  const from = T0;
  const to = T0 + 100_000;
  test("time runs left to right, lag bottom to top, 0 at the bottom", () => {
    assert.equal(sparklinePath([pt(0, 0), pt(50, 50), pt(100, 100)], 100, 20, from, to), "M0,18.5L50,10L100,1.5");
  });
  test("a point without a commit breaks the line; a lone point becomes a dot", () => {
    assert.equal(sparklinePath([pt(0, 10), pt(10, null), pt(20, 10), pt(30, 20), pt(40, null)], 100, 20, from, to), "M0,10h0M20,10L30,1.5");
    assert.equal(sparklinePath([pt(0, 10), pt(10, 20), pt(20, null), pt(90, 5)], 100, 20, from, to), "M0,10L10,1.5M90,14.3h0");
  });
  test("all zero is a flat line at the bottom; nothing known is no path", () => {
    assert.equal(sparklinePath([pt(0, 0), pt(100, 0)], 100, 20, from, to), "M0,18.5L100,18.5");
    assert.equal(sparklinePath([pt(0, null), pt(100, null)], 100, 20, from, to), "");
    assert.equal(sparklinePath([], 100, 20, from, to), "");
  });
  test("a lag of a record or two stays near the bottom: the scale is at least 10 records", () => {
    assert.equal(sparklinePath([pt(0, 0), pt(50, 1), pt(100, 0)], 100, 20, from, to), "M0,18.5L50,16.8L100,18.5");
  });
  test("points outside the window are left out, and do not set the scale", () => {
    assert.equal(sparklinePath([pt(-10, 999), pt(0, 10), pt(100, 20), pt(110, 999)], 100, 20, from, to), "M0,10L100,1.5");
  });
});

describe("toChartRows", () => {
  test("without partition series: one line, the group total", () => {
    const data = toChartRows([pt(0, 5, 1), pt(10, null, null)], undefined, "topic");
    assert.equal(data.by, "total");
    assert.deepEqual(data.lines, [{ key: "s0", label: "group total" }]);
    assert.deepEqual(data.rows, [
      { t: T0, lag_s0: 5, time_s0: 1 },
      { t: T0 + 10_000, lag_s0: null, time_s0: null },
    ]);
  });
  test("per topic: offset lag sums the partitions, time lag takes the max, unknown adds nothing", () => {
    const partitions = [
      ps("orders", 0, [pt(0, 10, 4), pt(10, null, null), pt(20, null, null)]),
      ps("payments", 0, [pt(0, 7, 2)]),
      ps("orders", 1, [pt(0, 5, 9), pt(10, 3, 1), pt(20, null, null)]),
    ];
    const data = toChartRows([], partitions, "topic");
    assert.equal(data.by, "topic");
    assert.deepEqual(data.lines.map((l) => l.label), ["orders", "payments"]);
    assert.equal(data.maxTimeLag, 9);
    assert.deepEqual(data.rows, [
      { t: T0, lag_s0: 15, time_s0: 9, lag_s1: 7, time_s1: 2 },
      { t: T0 + 10_000, lag_s0: 3, time_s0: 1 },
      { t: T0 + 20_000, lag_s0: null, time_s0: null },
    ]);
  });
  test("per partition: one line each, in topic then partition order", () => {
    const partitions = [ps("b", 0, [pt(0, 1)]), ps("a", 10, [pt(0, 2)]), ps("a", 2, [pt(0, 3)])];
    const data = toChartRows([], partitions, "partition");
    assert.deepEqual(data.lines.map((l) => l.label), ["a/2", "a/10", "b/0"]);
    assert.deepEqual(data.rows, [{ t: T0, lag_s0: 3, time_s0: null, lag_s1: 2, time_s1: null, lag_s2: 1, time_s2: null }]);
  });
  test("too many lines: the highest peaks stay, in their order, and the rest are counted", () => {
    const partitions = [0, 1, 2, 3, 4].map((p) => ps("t", p, [pt(0, [5, 50, 1, 40, null][p]!)]));
    const data = toChartRows([], partitions, "partition", 2);
    assert.deepEqual(data.lines.map((l) => l.label), ["t/1", "t/3"]);
    assert.equal(data.hidden, 3);
    assert.equal(data.maxTimeLag, 0);
    assert.deepEqual(data.rows, [{ t: T0, lag_s0: 50, time_s0: null, lag_s1: 40, time_s1: null }]);
  });
  test("hostile topic names stay labels, never keys", () => {
    const names = ["__proto__", "constructor", "<img src=x onerror=alert(1)>", "lag_s0"];
    const data = toChartRows([], names.map((n, i) => ps(n, 0, [pt(0, i + 1)])), "topic");
    assert.deepEqual(data.lines.map((l) => l.label).sort(), [...names].sort());
    assert.deepEqual(Object.keys(data.rows[0]!).sort(), ["lag_s0", "lag_s1", "lag_s2", "lag_s3", "t", "time_s0", "time_s1", "time_s2", "time_s3"]);
    assert.equal(Object.getPrototypeOf(data.rows[0]), Object.prototype);
  });
});

describe("chartMarkers", () => {
  const m = (s: number, kind: "rebalance" | "status", detail: string) => ({ t: iso(s), kind, detail });
  test("only markers inside the window, oldest first, labelled on the side with room", () => {
    const out = chartMarkers([m(80, "status", "OK → STALL"), m(-1, "rebalance", "early"), m(10, "rebalance", "3 → 2 members"), m(101, "status", "late")], T0, T0 + 100_000);
    assert.deepEqual(out, [
      { t: T0 + 10_000, kind: "rebalance", detail: "3 → 2 members", label: "rebalance", side: "right" },
      { t: T0 + 80_000, kind: "status", detail: "OK → STALL", label: "OK → STALL", side: "left" },
    ]);
  });
  test("markers closer than the gap: the newest keeps its label", () => {
    const out = chartMarkers([m(30, "status", "OK → STALL"), m(50, "status", "STALL → WARN"), m(60, "status", "WARN → OK"), m(90, "rebalance", "r")], T0, T0 + 100_000);
    assert.deepEqual(out.map((x) => x.label), ["OK → STALL", null, "WARN → OK", "rebalance"]);
  });
  test("long details are cut; no markers is an empty list", () => {
    assert.equal(chartMarkers([m(0, "status", "x".repeat(40))], T0, T0 + 1000)[0]!.label, `${"x".repeat(23)}…`);
    assert.deepEqual(chartMarkers(undefined, T0, T0 + 1000), []);
  });
});

describe("time axis", () => {
  test("1 h: a tick every 10 min on round local minutes, inside the window", () => {
    const from = T0 + 7 * 60_000 + 13_000;
    const { ticks, step } = timeTicks(from, from + 3_600_000);
    assert.equal(step, 600_000);
    assert.equal(ticks.length, 6);
    for (const t of ticks) {
      assert.ok(t >= from && t <= from + 3_600_000);
      const d = new Date(t);
      assert.equal(d.getMinutes() % 10, 0);
      assert.equal(d.getSeconds(), 0);
    }
  });
  test("7 d: one tick per local midnight", () => {
    const from = new Date(2026, 3, 18, 15, 20).getTime();
    const { ticks, step } = timeTicks(from, from + 7 * 86_400_000);
    assert.equal(step, 86_400_000);
    assert.equal(ticks.length, 7);
    assert.ok(ticks.every((t) => new Date(t).getHours() === 0 && new Date(t).getMinutes() === 0));
  });
  test("labels: time of day within a day, month-day for daily ticks", () => {
    const t = new Date(2026, 3, 5, 9, 5).getTime();
    assert.equal(timeTickLabel(t, 600_000), "09:05");
    assert.equal(timeTickLabel(t, 86_400_000), "04-05");
  });
});
