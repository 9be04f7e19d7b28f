// When a group reaches an event it has not read (eta.ts), on recorded commit sequences and on
// hostile ones: offsets going backwards, resets to no commit, duplicate and unordered times,
// zero intervals, absurd numbers. Never NaN, Infinity or a negative figure.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { MIN_BUSY_MS, consumption, estimateEta, type CommitSample, type Eta } from "../../server/lag/eta";

const T0 = Date.UTC(2026, 3, 25, 9, 0, 0);
/** [seconds after T0, committed, end] */
const run = (...rows: Array<[number, number | null, number | null]>): CommitSample[] =>
  rows.map(([s, c, e]) => ({ t: T0 + s * 1000, committed: c === null ? null : BigInt(c), end: e === null ? null : BigInt(e) }));

// 10 records/s, sampled every 10 s, always 500 behind.
const steady = run([0, 1000, 1500], [10, 1100, 1600], [20, 1200, 1700], [30, 1300, 1800], [40, 1400, 1900]);
const stopped = run([0, 1000, 1500], [10, 1000, 1600], [20, 1000, 1700], [30, 1000, 1800], [40, 1000, 1900]);
const idle = run([0, 1000, 1000], [10, 1000, 1000], [20, 1000, 1000], [30, 1000, 1000], [40, 1000, 1001]);

const eta = (p: Partial<Parameters<typeof estimateEta>[0]>): Eta =>
  estimateEta({ eventOffset: 1439n, committed: 1400n, members: 1, partition: steady, topic: [steady], ...p });

describe("estimateEta on recorded sequences", () => {
  test("a steady consumer: records before the event at its partition's rate", () => {
    const e = eta({});
    assert.equal(e.state, "consuming");
    assert.equal(e.recordsBefore, 40);
    assert.equal(e.ratePerSecond, 10);
    assert.equal(e.etaSeconds, 4);
    assert.equal(e.basis, "partition");
  });

  test("a group whose commit has not moved while records waited is not consuming", () => {
    const e = eta({ committed: 1000n, partition: stopped, topic: [stopped] });
    assert.equal(e.state, "not-consuming");
    assert.match(e.reason, /no commit progress in 40 s/);
    assert.equal(e.etaSeconds, null);
  });

  test("no members: not consuming, whatever the samples say", () => {
    assert.deepEqual([eta({ members: 0 }).state, eta({ members: 0 }).reason], ["not-consuming", "the group has no active members"]);
  });

  test("a partition that was caught up until the event arrived takes the topic's pace", () => {
    const e = eta({ eventOffset: 1000n, committed: 1000n, partition: idle, topic: [idle, steady] });
    assert.equal(e.basis, "topic");
    assert.equal(e.state, "consuming");
    assert.equal(e.ratePerSecond, 10);
    assert.equal(e.etaSeconds, 0.1);
  });

  test("time caught up is not time consuming: a rate from busy steps only", () => {
    // 0–20 s nothing to read (not counted); 20–50 s records waiting, 200 of them read: 6.7/s, not 4/s.
    const bursty = run([0, 1000, 1000], [10, 1000, 1000], [20, 1000, 1300], [30, 1100, 1300], [40, 1200, 1300], [50, 1200, 1300]);
    assert.deepEqual(consumption(bursty), { records: 200, busyMs: 30_000 });
  });

  test("no commit on the partition, or too little to measure: unknown, said why", () => {
    assert.equal(eta({ committed: null }).state, "unknown");
    assert.equal(eta({ committed: null }).recordsBefore, null);
    const short = run([0, 1000, 1500], [10, 1050, 1500]);
    assert.ok(MIN_BUSY_MS > 10_000);
    assert.equal(eta({ partition: short, topic: [short] }).state, "unknown");
  });

  test("already read: 0 records, 0 s", () => {
    assert.deepEqual([eta({ committed: 1440n }).recordsBefore, eta({ committed: 1440n }).etaSeconds], [0, 0]);
  });

  test("a step whose commit went back (a reset) is skipped, not counted as negative progress", () => {
    const reset = run([0, 1000, 2000], [10, 1100, 2000], [20, 0, 2000], [30, 100, 2000], [40, 200, 2000]);
    assert.deepEqual(consumption(reset), { records: 300, busyMs: 30_000 });
  });
});

const sample = fc.record({
  t: fc.oneof(fc.integer({ min: T0 - 600_000, max: T0 + 600_000 }), fc.constant(T0), fc.constant(NaN), fc.constant(Infinity), fc.double()),
  committed: fc.option(fc.oneof(fc.bigInt({ min: -5n, max: 3_000n }), fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n })), { nil: null }),
  end: fc.option(fc.oneof(fc.bigInt({ min: 0n, max: 3_000n }), fc.bigInt({ min: 0n, max: 2n ** 70n })), { nil: null }),
});
const samples = fc.array(sample, { maxLength: 30 });

describe("estimateEta never lies with numbers", () => {
  test("any samples: figures finite, non-negative, or null; states consistent", () => {
    fc.assert(fc.property(samples, fc.array(samples, { maxLength: 4 }), fc.bigInt({ min: -10n, max: 2n ** 66n }), fc.option(fc.bigInt({ min: -10n, max: 2n ** 66n }), { nil: null }), fc.option(fc.nat(3), { nil: null }),
      (partition, others, eventOffset, committed, members) => {
        const e = estimateEta({ eventOffset, committed, members, partition, topic: [partition, ...others] });
        for (const v of [e.etaSeconds, e.ratePerSecond, e.recordsBefore]) {
          if (v !== null) assert.ok(Number.isFinite(v) && v >= 0, `${JSON.stringify(e)}`);
        }
        if (e.state === "consuming") assert.ok(e.etaSeconds !== null);
        if (e.state !== "consuming") assert.equal(e.etaSeconds, null);
        const c = consumption(partition);
        assert.ok(Number.isFinite(c.records) && c.records >= 0 && Number.isFinite(c.busyMs) && c.busyMs >= 0);
      }), { numRuns: 2000 });
  });

  test("duplicates and order do not change the measure", () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 120 }), fc.integer({ min: 0, max: 500 })), { minLength: 2, maxLength: 20 }), (rows) => {
      // One reading per time, offsets rising with time, as a healthy sampler stores them.
      const byT = new Map(rows.map(([s]) => [s, 0]));
      const ts = [...byT.keys()].sort((a, b) => a - b);
      let c = 0;
      const clean = ts.map((s, i) => ({ t: T0 + s * 1000, committed: BigInt((c += rows[i % rows.length]![1])), end: BigInt(c + 10) }));
      const noisy = [...clean, ...clean].reverse();
      assert.deepEqual(consumption(noisy), consumption(clean));
    }));
  });
});
