// GET /api/lag's `since`: parsed without a clock (the contract is pure), resolved against the route's.
import assert from "node:assert/strict";
import { test } from "node:test";
import { lagQuery, lagSinceMs } from "../../server/contract/api";

const NOW = Date.parse("2026-05-01T12:00:00.000Z");
const since = (s?: string) => {
  const r = lagQuery.safeParse(s === undefined ? {} : { since: s });
  return r.success ? lagSinceMs(r.data.since, NOW) : "400";
};

test("a range reaches back from now, 1h by default, 30 days at most", () => {
  assert.equal(since(), NOW - 3_600_000);
  assert.equal(since("15m"), NOW - 15 * 60_000);
  assert.equal(since("30d"), NOW - 30 * 86_400_000);
  for (const bad of ["0m", "31d", "9999d", "1w", "", "x".repeat(65), "1e3m"]) assert.equal(since(bad), "400", bad);
});

test("an instant must lie in the last 30 days", () => {
  assert.equal(since("2026-05-01T11:00:00Z"), NOW - 3_600_000);
  assert.equal(since("2026-05-01T13:00:00+02:00"), NOW - 3_600_000);
  assert.equal(since("2026-05-01T12:00:00Z"), null, "now itself is an empty window");
  assert.equal(since("2026-06-01T00:00:00Z"), null, "the future");
  assert.equal(since("2026-03-01T00:00:00Z"), null, "past 30 days");
  assert.equal(since("yesterday"), "400");
});
