// The map's window arithmetic and query contract: which rows of which grain a window reads, what
// its baseline is, and that no query string makes the parser throw.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { flowmapFlowsQuery, flowmapQuery, HOUR_MS, MINUTE_MS } from "../../server/contract/flowmap";
import { baselineLabel } from "../../server/analysis/map-changes";
import { baselineOf, coverage, resolveWindow, WindowError } from "../../server/flowmap/read-window";

const T = Date.UTC(2026, 3, 25, 14, 30, 20);
const at = (h: number, m = 0, s = 0) => Date.UTC(2026, 3, 25, h, m, s);

describe("windows", () => {
  test("a range counts back from until (default now); an instant stands", () => {
    assert.deepEqual(resolveWindow(flowmapQuery.parse({}), T), { sinceMs: T - HOUR_MS, untilMs: T });
    assert.deepEqual(resolveWindow(flowmapQuery.parse({ since: "24h", until: "2026-04-25T00:00:00Z" }), T), { sinceMs: at(0) - 24 * HOUR_MS, untilMs: at(0) });
    assert.deepEqual(resolveWindow(flowmapQuery.parse({ since: "2026-04-25T12:00:00Z" }), T), { sinceMs: at(12), untilMs: T });
  });

  test("15 minutes to 7 days, else a WindowError or a parse error", () => {
    assert.throws(() => resolveWindow(flowmapQuery.parse({ since: "2026-04-25T14:20:00Z" }), T), WindowError);
    assert.throws(() => resolveWindow(flowmapQuery.parse({ since: "2026-04-01T00:00:00Z" }), T), WindowError);
    for (const since of ["14m", "8d", "0h", "1w", "yesterday", "2026-13-01", "+275760-09-13T00:00:00Z", ""]) {
      assert.equal(flowmapQuery.safeParse({ since }).success, false, since);
    }
    assert.equal(flowmapQuery.safeParse({ compare: "month" }).success, false);
    assert.equal(flowmapFlowsQuery.safeParse({ type: "T", from: "a" }).success, false, "from without to");
  });

  test("baselines: the window before, a day or a week earlier, or none", () => {
    const w = { sinceMs: at(13), untilMs: at(14) };
    assert.deepEqual(baselineOf(w, "previous"), { sinceMs: at(12), untilMs: at(13) });
    assert.deepEqual(baselineOf(w, "day"), { sinceMs: at(13) - 24 * HOUR_MS, untilMs: at(14) - 24 * HOUR_MS });
    assert.deepEqual(baselineOf(w, "week"), { sinceMs: at(13) - 168 * HOUR_MS, untilMs: at(14) - 168 * HOUR_MS });
    assert.equal(baselineOf(w, "none"), null);
    assert.equal(baselineLabel(HOUR_MS, "previous"), "the hour before");
    assert.equal(baselineLabel(6 * HOUR_MS, "previous"), "the 6 h before");
    assert.equal(baselineLabel(15 * MINUTE_MS, "previous"), "the 15 min before");
    assert.equal(baselineLabel(HOUR_MS, "week"), "the same time a week earlier");
  });
});

describe("coverage", () => {
  test("whole hours from grain 3600, the ragged edges from grain 60", () => {
    assert.deepEqual(coverage({ sinceMs: at(10, 17, 33), untilMs: at(14, 30, 20) }), {
      hours: [[at(11), at(14)]],
      minutes: [[at(10, 17, 33), at(11)], [at(14), at(14, 30, 20)]],
    });
    assert.deepEqual(coverage({ sinceMs: at(13, 30, 20), untilMs: at(14, 30, 20) }), { hours: [], minutes: [[at(13, 30, 20), at(14, 30, 20)]] });
  });

  test("an hour holding a break (the stuck cutoff) is read by its minutes", () => {
    assert.deepEqual(coverage({ sinceMs: at(10), untilMs: at(14) }, [at(12, 25)]), {
      hours: [[at(10), at(12)], [at(13), at(14)]],
      minutes: [[at(12), at(13)]],
    });
    assert.deepEqual(coverage({ sinceMs: at(10), untilMs: at(14) }, [at(12)]).hours, [[at(10), at(14)]], "a break on an hour's edge splits nothing");
  });

  test("pieces are disjoint, cover the window exactly, hours are aligned and hold no break", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 * 86_400_000 }), fc.integer({ min: 15 * 60_000, max: 7 * 86_400_000 }), fc.array(fc.integer({ min: 0, max: 20 * 86_400_000 }), { maxLength: 3 }), (since, len, breaks) => {
        const w = { sinceMs: since, untilMs: since + len };
        const c = coverage(w, breaks);
        const pieces = [...c.hours, ...c.minutes].sort((a, b) => a[0] - b[0]);
        assert.equal(pieces[0]![0], w.sinceMs);
        assert.equal(pieces[pieces.length - 1]![1], w.untilMs);
        for (let i = 1; i < pieces.length; i++) assert.equal(pieces[i]![0], pieces[i - 1]![1]);
        for (const [a, b] of c.hours) {
          assert.equal(a % HOUR_MS, 0);
          assert.equal(b % HOUR_MS, 0);
          assert.ok(!breaks.some((x) => x > a && x < b && x % HOUR_MS !== 0));
        }
      }),
    );
  });
});

describe("query strings never make the parser throw", () => {
  test("any values for any of the map's and the flow list's parameters", () => {
    const names = ["since", "until", "type", "compare", "step", "from", "to", "stop", "status", "variant", "cursor", "limit"];
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...names), fc.oneof(fc.string(), fc.constantFrom("1h", "7d", "15m", "2026-04-25T14:00:00Z", "previous", "stuck", "-1", "1e9"))), (q) => {
        for (const schema of [flowmapQuery, flowmapFlowsQuery]) {
          const r = schema.safeParse(q);
          if (r.success && "since" in r.data) assert.ok("range" in r.data.since || Number.isFinite(r.data.since.at));
        }
      }),
    );
  });
});
