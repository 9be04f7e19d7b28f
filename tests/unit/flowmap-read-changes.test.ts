// The change rule: notable stop shares and p95s are flagged, noise and tiny counts are not, and
// "since" lands on the minute the new behaviour begins.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { addTo, bucketOf, type Histogram } from "../../server/analysis/sketch";
import { changePoint, changeText, formatMs, formatPercent, latencyChange, stopShareChange, zScore } from "../../server/analysis/map-changes";
import { stepKey } from "../../server/analysis/steps";

const hist = (samples: Array<[ms: number, count: number]>): Histogram => {
  const h: Histogram = new Map();
  for (const [ms, n] of samples) addTo(h, bucketOf(ms), n);
  return h;
};

describe("stop shares", () => {
  const cases: Array<[string, [number, number], [number, number], "up" | "down" | null]> = [
    ["31 % vs 1 % of 100 flows", [31, 100], [1, 100], "up"],
    ["back down from 31 % to 1 %", [1, 100], [31, 100], "down"],
    ["2 of 10 vs 0 of 10: too few flows", [2, 10], [0, 10], null],
    ["4 of 40 vs 0 of 40: too few stops", [4, 40], [0, 40], null],
    ["14 % vs 10 % of 10,000: significant, but not a factor 2", [1400, 10_000], [1000, 10_000], null],
    ["0.3 % vs 0.1 % of 100,000: a factor 3, but under 5 points", [300, 100_000], [100, 100_000], null],
    ["12 of 60 vs 3 of 60: a factor 4 and 15 points, yet z ≈ 2.5", [12, 60], [3, 60], null],
    ["30 of 200 vs 5 of 200", [30, 200], [5, 200], "up"],
  ];
  for (const [name, [k1, n1], [k0, n0], want] of cases) {
    test(name, () => assert.equal(stopShareChange({ k: k1, n: n1 }, { k: k0, n: n0 }), want));
  }

  test("identical shares never change, whatever the counts", () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 1, max: 1000 }), (k, extra) => {
      assert.equal(stopShareChange({ k, n: k + extra }, { k, n: k + extra }), null);
      assert.equal(zScore({ k, n: k + extra }, { k, n: k + extra }), 0);
    }));
  });
});

describe("transition p95", () => {
  const before = hist([[500, 40], [540, 40], [580, 40], [620, 40], [660, 40]]);
  test("0.6 s → 4 s for a third of the samples is flagged", () => {
    const c = latencyChange(hist([[500, 100], [600, 100], [4000, 100]]), before);
    assert.ok(c);
    assert.ok(c.p95Ms > 3000 && c.baselineP95Ms < 800);
    assert.equal(c.cur.k, 100);
  });
  test("the same distribution, a few samples, or a small absolute growth are not", () => {
    assert.equal(latencyChange(before, before), null);
    assert.equal(latencyChange(hist([[4000, 10]]), before), null, "10 samples");
    assert.equal(latencyChange(hist([[40, 100], [90, 100]]), hist([[20, 100], [30, 100]])), null, "30 ms → 90 ms: under 250 ms");
    assert.equal(latencyChange(hist([[500, 190], [1000, 10]]), hist([[500, 190], [700, 10]])), null, "under a factor 2");
  });
});

describe("since", () => {
  const minute = (i: number) => Date.UTC(2026, 3, 25, 13, 31 + i);
  test("lands on the first minute of the new behaviour, although minutes before had stops too", () => {
    // 6 flows a minute; before 14:02 one stops now and then (≈ 6 %), from 14:02 2–3 of 6 do.
    const pieces = Array.from({ length: 60 }, (_, i) => ({ t: minute(i), n: 6, k: minute(i) >= Date.UTC(2026, 3, 25, 14, 2) ? 2 + (i % 2) : i % 4 === 1 ? 1 : 0 }));
    assert.equal(new Date(changePoint(pieces, 0.06)!).toISOString(), "2026-04-25T14:02:00.000Z");
  });
  test("a window that is changed from its start says so from the first minute showing it", () => {
    const pieces = Array.from({ length: 10 }, (_, i) => ({ t: minute(i), n: 6, k: i === 0 ? 0 : 3 }));
    assert.equal(changePoint(pieces, 0.01), minute(1));
  });
  test("a fall: the first minute back to normal", () => {
    const pieces = Array.from({ length: 20 }, (_, i) => ({ t: minute(i), n: 10, k: i < 12 ? 4 : 0 }));
    assert.equal(changePoint(pieces, 0.4), minute(12));
    assert.equal(changePoint([], 0.4), null);
  });
});

describe("sentences", () => {
  const paid = stepKey({ service: "payment-service", eventType: "PaymentProcessed" });
  const reserved = stepKey({ service: "inventory-service", eventType: "InventoryReserved" });
  const hhmm = (iso: string) => iso.slice(11, 16);
  test("as the issue words them", () => {
    assert.equal(
      changeText({ kind: "stop-share", after: paid, since: "2026-04-25T14:02:00.000Z", share: 0.31, baselineShare: 0.01 }, "OrderCreated", "the hour before", hhmm),
      "since 14:02, 31 % of OrderCreated flows stop after PaymentProcessed, 1 % in the hour before",
    );
    assert.equal(
      changeText({ kind: "latency", from: paid, to: reserved, since: null, p95Ms: 4100, baselineP95Ms: 600 }, "OrderCreated", "the hour before", hhmm),
      "InventoryReserved p95 4.1 s after PaymentProcessed, was 600 ms in the hour before",
    );
  });
  test("numbers", () => {
    assert.deepEqual([0, 0.004, 0.31, 1].map(formatPercent), ["0 %", "0.4 %", "31 %", "100 %"]);
    assert.deepEqual([12, 4100, 150_000, 7_200_000].map(formatMs), ["12 ms", "4.1 s", "2.5 min", "2.0 h"]);
  });
});
