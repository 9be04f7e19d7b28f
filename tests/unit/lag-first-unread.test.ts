// Seconds behind measured from the first unread record's indexed time (first-unread-plan.ts and
// compute-tick.ts): exact for a stopped group, where interpolation has nothing to go by; the
// interpolation stays the fallback when the record is not indexed.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { computeTick, emptyMemory, type FetchedGroup, type TickInput } from "../../server/lag/compute-tick";
import { GAP, firstUnreadKey, firstUnreadLookups, nextOffset } from "../../server/lag/first-unread-plan";

const T0 = Date.UTC(2026, 3, 25, 9, 0, 0);
const INTERVAL = 10_000;
const stopped = (offset: string | null, topic = "t"): FetchedGroup => ({ groupId: "billing", state: "Empty", members: [], committed: [{ topic, partition: 0, offset }], error: null });
const ends = (high: number, low = 0): TickInput["ends"] => new Map([["t", new Map([[0, { high: BigInt(high), low: BigInt(low) }]])]]);

describe("which records to look up", () => {
  test("the next offset: the commit, or the log start past retention; none when caught up or never committed", () => {
    assert.equal(nextOffset(40n, { high: 100n, low: 0n }), 40n);
    assert.equal(nextOffset(5n, { high: 100n, low: 20n }), 20n);
    assert.equal(nextOffset(100n, { high: 100n, low: 0n }), null);
    assert.equal(nextOffset(120n, { high: 100n, low: 0n }), null, "committed above the end (recreated topic)");
    assert.equal(nextOffset(null, { high: 100n, low: 0n }), null);
    assert.equal(nextOffset(-1n, { high: 100n, low: 0n }), null);
  });

  test("one lookup per position, a window of GAP offsets bounded by the end", () => {
    const other: FetchedGroup = { ...stopped("40"), groupId: "audit" };
    assert.deepEqual(firstUnreadLookups([stopped("40"), other, stopped("990")], ends(1000)), [
      { topic: "t", partition: 0, from: "40", until: (40n + GAP).toString() },
      { topic: "t", partition: 0, from: "990", until: "1000" },
    ]);
    assert.deepEqual(firstUnreadLookups([stopped("100"), stopped(null), stopped("x"), stopped("3", "gone")], ends(100)), []);
  });
});

describe("a tick with the first unread record's time", () => {
  test("a stopped group: seconds behind = now − that record's time, marked as measured", () => {
    const firstUnread = new Map([[firstUnreadKey("t", 0, 40n), T0 - 3_600_000]]);
    const out = computeTick({ now: T0, groups: [stopped("40")], ends: ends(100), firstUnread }, emptyMemory(), INTERVAL);
    assert.deepEqual(out.partitionRows.map((p) => [p.lag, p.timeLagSeconds, p.timeLagSource, p.status]), [[60, 3600, "record", "STOP"]]);
  });

  test("without it (not indexed), a group that never moved under one sample: blank, as before", () => {
    const out = computeTick({ now: T0, groups: [stopped("40")], ends: ends(100) }, emptyMemory(), INTERVAL);
    assert.deepEqual(out.partitionRows.map((p) => [p.timeLagSeconds, p.timeLagSource]), [[null, null]]);
  });

  test("interpolation stays the fallback, and says so", () => {
    const memory = emptyMemory();
    computeTick({ now: T0 - 10_000, groups: [stopped("40")], ends: ends(80) }, memory, INTERVAL);
    const out = computeTick({ now: T0, groups: [stopped("40")], ends: ends(100) }, memory, INTERVAL);
    assert.deepEqual(out.partitionRows.map((p) => [p.timeLagSeconds, p.timeLagSource]), [[30, "interpolated"]]);
  });

  test("a producer clock ahead of ours gives 0, never negative; caught up is 0 and says so", () => {
    const ahead = new Map([[firstUnreadKey("t", 0, 40n), T0 + 60_000]]);
    assert.equal(computeTick({ now: T0, groups: [stopped("40")], ends: ends(100), firstUnread: ahead }, emptyMemory(), INTERVAL).partitionRows[0]!.timeLagSeconds, 0);
    const caught = computeTick({ now: T0, groups: [stopped("100")], ends: ends(100) }, emptyMemory(), INTERVAL).partitionRows[0]!;
    assert.deepEqual([caught.timeLagSeconds, caught.timeLagSource], [0, "caught-up"]);
  });

  test("past retention, the log start's record is the one measured from", () => {
    const firstUnread = new Map([[firstUnreadKey("t", 0, 20n), T0 - 120_000]]);
    const out = computeTick({ now: T0, groups: [stopped("5")], ends: ends(100, 20), firstUnread }, emptyMemory(), INTERVAL);
    assert.equal(out.partitionRows[0]!.timeLagSeconds, 120);
  });
});
