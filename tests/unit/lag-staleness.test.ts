// When the latest lag sample is stale: older than three sampling intervals.
import assert from "node:assert/strict";
import { test } from "node:test";
import { isStale, sampleAgeSeconds, STALE_AFTER_INTERVALS } from "../../server/lag/staleness";

const T0 = Date.UTC(2026, 3, 25, 9, 0, 0);
const iso = new Date(T0).toISOString();

test("age in whole seconds, never negative", () => {
  assert.equal(sampleAgeSeconds(iso, new Date(T0 + 12_900)), 12);
  assert.equal(sampleAgeSeconds(iso, new Date(T0 - 5_000)), 0, "a server clock behind the sampler's");
  assert.equal(sampleAgeSeconds("garbage", new Date(T0)), 0);
});

test("stale after three intervals, not before", () => {
  assert.equal(STALE_AFTER_INTERVALS, 3);
  assert.equal(isStale(30, 10_000), false);
  assert.equal(isStale(31, 10_000), true);
  assert.equal(isStale(179, 60_000), false);
  assert.equal(isStale(181, 60_000), true);
});
