// Seconds behind when the clocks involved are absurd: a sample stamped in year 9999 or before
// 1970, an end offset near 2^63, a clock that went backwards. The number stays finite, never
// negative and never beyond Number.MAX_SAFE_INTEGER (what a bigint column and JSON both carry
// exactly); what cannot be told is null, never NaN.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { MAX_TIME_LAG_S, timeLagSeconds, type EndSample } from "../../server/lag/time-lag";
import { computeTick, emptyMemory, type TickInput } from "../../server/lag/compute-tick";

const Y9999 = Date.UTC(9999, 11, 31);
const NOW = Date.UTC(2026, 3, 25, 9, 0, 0);
const sane = (v: number | null) => v === null || (Number.isFinite(v) && v >= 0 && v <= Number.MAX_SAFE_INTEGER);

describe("timeLagSeconds with absurd times", () => {
  const cases: { name: string; history: EndSample[]; committed: bigint; now: number; expected: number | null | "max" }[] = [
    { name: "samples stamped in year 9999, now in 2026: not negative", history: [{ t: Y9999, end: 10n }, { t: Y9999 + 1000, end: 20n }], committed: 15n, now: NOW, expected: 0 },
    { name: "negative sample times (before 1970), now in 2026: finite", history: [{ t: -8.64e15, end: 10n }, { t: -8.64e15 + 1000, end: 20n }], committed: 15n, now: NOW, expected: (NOW + 8.64e15 - 500) / 1000 },
    { name: "now in year 9999, samples in 1970", history: [{ t: 0, end: 10n }, { t: 1000, end: 20n }], committed: 15n, now: Y9999, expected: (Y9999 - 500) / 1000 },
    {
      name: "extrapolating 2^62 records back at one a day: saturates at the maximum",
      history: [{ t: NOW - 86_400_000, end: 2n ** 62n }, { t: NOW, end: 2n ** 62n + 1n }], committed: 0n, now: NOW, expected: "max",
    },
    { name: "extrapolating from sample times before 1970 at a glacial rate: saturates", history: [{ t: -8.64e15, end: 2n ** 62n }, { t: 8.64e15, end: 2n ** 62n + 1n }], committed: 0n, now: Y9999, expected: "max" },
    { name: "a NaN sample time: unknown, not NaN", history: [{ t: Number.NaN, end: 10n }, { t: NOW, end: 20n }], committed: 15n, now: NOW, expected: null },
    { name: "an infinite clock: saturates", history: [{ t: 0, end: 10n }, { t: 1000, end: 20n }], committed: 15n, now: Number.POSITIVE_INFINITY, expected: "max" },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const v = timeLagSeconds(c.history, c.committed, c.now);
      assert.ok(sane(v), `sane: ${v}`);
      assert.equal(v, c.expected === "max" ? MAX_TIME_LAG_S : c.expected);
    });
  }
  test("the maximum is what a JS number holds exactly", () => assert.equal(MAX_TIME_LAG_S, Number.MAX_SAFE_INTEGER));
});

describe("computeTick with absurd times", () => {
  test("a stored seconds-behind is an integer within bigint and JS safe range, past int4", () => {
    const memory = emptyMemory();
    const tick = (now: number, high: bigint, committed: string): TickInput => ({
      now,
      groups: [{ groupId: "g", state: "Stable", members: [], committed: [{ topic: "t", partition: 0, offset: committed }], error: null }],
      ends: new Map([["t", new Map([[0, { high, low: 0n }]])]]),
    });
    // The sampler's clock jumps from before 1970 to 2026: 100+ years behind, more than int4 holds.
    computeTick(tick(-3e12, 10n, "5"), memory, 10_000);
    computeTick(tick(-3e12 + 10_000, 20n, "5"), memory, 10_000);
    const out = computeTick(tick(NOW, 20n, "5"), memory, 10_000);
    const s = out.partitionRows[0]!.timeLagSeconds!;
    assert.ok(Number.isSafeInteger(s) && s > 2 ** 31, String(s));
  });
});
