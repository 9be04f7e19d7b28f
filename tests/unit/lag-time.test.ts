import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { appendSample, estimateProduceTime, offsetLag, timeLagSeconds, type EndSample } from "../../server/lag/time-lag";

const T0 = Date.UTC(2026, 3, 25, 9, 0, 0);
const at = (s: number) => T0 + s * 1000;
/** A history from [seconds after T0, end offset] pairs. */
const hist = (...rows: [number, number][]): EndSample[] => rows.map(([s, end]) => ({ t: at(s), end: BigInt(end) }));

// 10 records a second, sampled every 10 s.
const steady = hist([0, 100], [10, 200], [20, 300], [30, 400]);
// Quiet between 0 s and 10 s, then 100 records in 10 s.
const quietThenBusy = hist([0, 100], [10, 100], [20, 200]);
const flat = hist([0, 100], [10, 100], [20, 100]);
// The topic was deleted and recreated between 10 s and 20 s.
const recreated = hist([0, 500], [10, 600], [20, 10], [30, 20]);

describe("estimateProduceTime", () => {
  const cases: { name: string; history: EndSample[]; offset: number; expected: number | null }[] = [
    { name: "interpolates inside a segment", history: steady, offset: 250, expected: at(15) },
    { name: "an offset equal to a sample's end is that sample's time", history: steady, offset: 200, expected: at(10) },
    { name: "the newest end is the newest time", history: steady, offset: 400, expected: at(30) },
    { name: "above the newest end is the newest time", history: steady, offset: 900, expected: at(30) },
    { name: "below the oldest end extrapolates at the earliest rate", history: steady, offset: 50, expected: at(-5) },
    { name: "a flat run maps to its last sample, not its first", history: quietThenBusy, offset: 100, expected: at(10) },
    { name: "after a flat run, interpolates on the rising segment", history: quietThenBusy, offset: 150, expected: at(15) },
    { name: "below a flat start, extrapolates from the oldest sample at the first rising rate", history: quietThenBusy, offset: 50, expected: at(-5) },
    { name: "flat history: below it there is no rate", history: flat, offset: 50, expected: null },
    { name: "flat history: at its end is its newest time", history: flat, offset: 100, expected: at(20) },
    { name: "single sample: below it there is no rate", history: hist([0, 100]), offset: 99, expected: null },
    { name: "single sample: at its end is its time", history: hist([0, 100]), offset: 100, expected: at(0) },
    { name: "empty history", history: [], offset: 0, expected: null },
    { name: "recreated topic: only samples after the drop count", history: recreated, offset: 15, expected: at(25) },
    { name: "recreated topic: extrapolates from the new incarnation's rate", history: recreated, offset: 5, expected: at(15) },
    { name: "recreated topic: an offset of the old incarnation is above the new end", history: recreated, offset: 550, expected: at(30) },
  ];
  for (const c of cases) test(c.name, () => assert.equal(estimateProduceTime(c.history, BigInt(c.offset)), c.expected));
});

describe("timeLagSeconds", () => {
  const cases: { name: string; history: EndSample[]; committed: number | null; now: number; logStart?: number; expected: number | null }[] = [
    { name: "behind: now − produce time of the committed offset", history: steady, committed: 250, now: at(40), expected: 25 },
    { name: "caught up at the newest end", history: steady, committed: 400, now: at(40), expected: 0 },
    { name: "no commit: null, not a number", history: steady, committed: null, now: at(40), expected: null },
    { name: "kafkajs's -1 (no commit): null", history: steady, committed: -1, now: at(40), expected: null },
    { name: "clock skew: now before the produce time gives 0, not negative", history: steady, committed: 390, now: at(28), expected: 0 },
    { name: "clock skew while caught up", history: steady, committed: 400, now: at(25), expected: 0 },
    { name: "committed above end (topic recreated): caught up", history: recreated, committed: 500, now: at(40), expected: 0 },
    { name: "committed below log start counts from the oldest record left", history: steady, committed: 50, now: at(30), logStart: 200, expected: 20 },
    { name: "committed below the history, no log start: extrapolated", history: steady, committed: 50, now: at(30), expected: 35 },
    { name: "flat history, behind: cannot say", history: flat, committed: 50, now: at(30), expected: null },
    { name: "quiet topic: behind by the time since the log last ended at the commit", history: quietThenBusy, committed: 100, now: at(20), expected: 10 },
    { name: "empty history: cannot say", history: [], committed: 10, now: at(30), expected: null },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const committed = c.committed === null ? null : BigInt(c.committed);
      const logStart = c.logStart === undefined ? undefined : BigInt(c.logStart);
      assert.equal(timeLagSeconds(c.history, committed, c.now, logStart), c.expected);
    });
  }

  test("a catching-up group: seconds behind falls to 0 (recorded ticks)", () => {
    // Producer writes 10 records/s; the consumer, restarted at 0 s from offset 0, reads 30 records/s.
    const ticks: { s: number; end: number; committed: number }[] = [
      { s: 0, end: 100, committed: 0 },
      { s: 10, end: 200, committed: 60 },
      { s: 20, end: 300, committed: 180 },
      { s: 30, end: 400, committed: 330 },
      { s: 40, end: 500, committed: 500 },
    ];
    let history: readonly EndSample[] = [];
    const lags: (number | null)[] = [];
    for (const tick of ticks) {
      history = appendSample(history, { t: at(tick.s), end: BigInt(tick.end) }, 10);
      lags.push(timeLagSeconds(history, BigInt(tick.committed), at(tick.s)));
    }
    // 0 s: one sample, committed below it: no rate yet. 10 s: 60 extrapolated to −4 s → 14 s behind.
    // 20 s: 180 produced at 8 s → 12 s. 30 s: 330 produced at 23 s → 7 s. 40 s: caught up.
    assert.deepEqual(lags, [null, 14, 12, 7, 0]);
  });
});

describe("offsetLag", () => {
  const cases: { name: string; end: number; committed: number | null; logStart?: number; lag: number | null; reason?: RegExp }[] = [
    { name: "end − committed", end: 500, committed: 200, lag: 300 },
    { name: "caught up", end: 500, committed: 500, lag: 0 },
    { name: "no commit: null and says so", end: 500, committed: null, lag: null, reason: /^no commit$/ },
    { name: "kafkajs's -1 is no commit", end: 500, committed: -1, lag: null, reason: /^no commit$/ },
    { name: "phantom lag: below log start counts from log start", end: 500, committed: 100, logStart: 300, lag: 200, reason: /below log start \(records deleted by retention\)/ },
    { name: "at log start is ordinary lag", end: 500, committed: 300, logStart: 300, lag: 200 },
    { name: "committed above end (topic recreated): 0 with a reason", end: 10, committed: 500, lag: 0, reason: /above end offset/ },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const r = offsetLag(BigInt(c.end), c.committed === null ? null : BigInt(c.committed), c.logStart === undefined ? undefined : BigInt(c.logStart));
      assert.equal(r.lag, c.lag === null ? null : BigInt(c.lag));
      if (c.reason) assert.match(r.reason ?? "", c.reason);
      else assert.equal(r.reason, undefined);
    });
  }
});

describe("appendSample", () => {
  const ends = (h: readonly EndSample[]) => h.map((s) => [(s.t - T0) / 1000, Number(s.end)]);
  const build = (rows: [number, number][], max: number) =>
    rows.reduce<readonly EndSample[]>((h, [s, end]) => appendSample(h, { t: at(s), end: BigInt(end) }, max), []);

  test("keeps the newest maxSamples", () => {
    assert.deepEqual(ends(build([[0, 1], [10, 2], [20, 3], [30, 4]], 3)), [[10, 2], [20, 3], [30, 4]]);
  });
  test("a flat run keeps its first and last samples", () => {
    assert.deepEqual(ends(build([[0, 5], [10, 100], [20, 100], [30, 100], [40, 100]], 10)), [[0, 5], [10, 100], [40, 100]]);
  });
  test("an end lower than the last (topic recreated) restarts the history", () => {
    assert.deepEqual(ends(build([[0, 500], [10, 600], [20, 7]], 10)), [[20, 7]]);
  });
  test("a reading not newer than the last is ignored", () => {
    const h = build([[0, 1], [10, 2]], 10);
    assert.equal(appendSample(h, { t: at(10), end: 3n }, 10), h);
    assert.equal(appendSample(h, { t: at(5), end: 3n }, 10), h);
  });
  test("does not change the input", () => {
    const h = hist([0, 1], [10, 2]);
    appendSample(h, { t: at(20), end: 3n }, 2);
    assert.deepEqual(ends(h), [[0, 1], [10, 2]]);
  });
  test("rejects a table too short to interpolate", () => {
    assert.throws(() => appendSample([], { t: at(0), end: 1n }, 1), RangeError);
  });
});
