import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { groupStatus, LAG_STATUSES, partitionStatus, type LagStatus, type PartitionWindow, type WindowSample } from "../../server/lag/status";

const T0 = Date.UTC(2026, 3, 25, 9, 0, 0);
const at = (s: number) => T0 + s * 1000;
/** Recorded ticks as [seconds after T0, committed (null: none), end]; lag as offsetLag computes it. */
const ticks = (...rows: [number, number | null, number][]): WindowSample[] =>
  rows.map(([s, committed, end]) => ({
    t: at(s),
    committed: committed === null ? null : BigInt(committed),
    end: BigInt(end),
    lag: committed === null ? null : committed > end ? 0n : BigInt(end - committed),
  }));

const MIN = 60_000;

describe("partitionStatus", () => {
  const cases: { name: string; window: PartitionWindow; now: number; stopAfterMs?: number; status: LagStatus; reason: RegExp }[] = [
    {
      name: "caught up with zero lag",
      window: { samples: ticks([0, 100, 100], [10, 150, 150], [20, 200, 200]), hasMembers: true },
      now: at(25), status: "OK", reason: /caught up/,
    },
    {
      name: "caught up with no members is still OK: nothing to consume",
      window: { samples: ticks([0, 100, 100], [10, 100, 100]), hasMembers: false },
      now: at(25), status: "OK", reason: /caught up/,
    },
    {
      name: "no commit on the partition: OK, and says lag is unknown",
      window: { samples: ticks([0, null, 100], [10, null, 200]) },
      now: at(25), status: "OK", reason: /no commit.*lag unknown/,
    },
    {
      name: "sampler failed on the partition",
      window: { samples: ticks([0, 100, 200]), error: "LEADER_NOT_AVAILABLE" },
      now: at(25), status: "ERR", reason: /LEADER_NOT_AVAILABLE/,
    },
    {
      name: "no samples at all",
      window: { samples: [] },
      now: at(25), status: "ERR", reason: /no samples/,
    },
    {
      name: "single sample with lag: too few to judge",
      window: { samples: ticks([0, 100, 300]) },
      now: at(25), stopAfterMs: 1, status: "OK", reason: /too few samples/,
    },
    {
      name: "single sample with lag and no members: STOP",
      window: { samples: ticks([0, 100, 300]), hasMembers: false },
      now: at(25), status: "STOP", reason: /lag 200 and the group has no active members/,
    },
    {
      name: "stopped: no members, committed frozen, lag growing",
      window: { samples: ticks([0, 5000, 5100], [10, 5000, 6100], [20, 5000, 7100]), hasMembers: false },
      now: at(30), status: "STOP", reason: /lag 2,100 and the group has no active members/,
    },
    {
      name: "stopped even though lag was 0 earlier in the window: the group left",
      window: { samples: ticks([0, 5000, 5000], [10, 5000, 5100]), hasMembers: false },
      now: at(15), status: "STOP", reason: /no active members/,
    },
    {
      name: "membership unknown, committed frozen longer than stopAfterMs: STOP",
      window: { samples: ticks([0, 5000, 6000], [10, 5000, 6000], [20, 5000, 6234]) },
      now: at(30), stopAfterMs: 20_000, status: "STOP", reason: /lag 1,234 and committed offset 5,000 unchanged for 3 samples \(30 s\)/,
    },
    {
      name: "membership unknown, frozen but not yet stopAfterMs: STALL",
      window: { samples: ticks([0, 5000, 6000], [10, 5000, 6000], [20, 5000, 6234]) },
      now: at(30), stopAfterMs: MIN, status: "STALL", reason: /unchanged for 3 samples/,
    },
    {
      name: "stalled: members present, committed frozen, lag > 0 throughout",
      window: { samples: ticks([0, 700, 900], [10, 700, 900], [20, 700, 900]), hasMembers: true },
      now: at(30), stopAfterMs: MIN, status: "STALL", reason: /lag 200 and committed offset 700 unchanged .* with members present/,
    },
    {
      name: "stalled for longer than stopAfterMs with members present stays STALL",
      window: { samples: ticks([0, 700, 900], [10, 700, 900], [20, 700, 900]), hasMembers: true },
      now: at(600), stopAfterMs: MIN, status: "STALL", reason: /with members present/,
    },
    {
      name: "quiet topic: caught up for 10 min, one record arrives: not STOP",
      window: { samples: ticks([0, 100, 100], [300, 100, 100], [600, 100, 101]) },
      now: at(601), stopAfterMs: MIN, status: "OK", reason: /lag was 0 within the window/,
    },
    {
      // Burrow's TestCachingEvaluator_CheckRules case 7 is this shape (1000, 2000, 3000, 2000, 4000:
      // back, then past the old high point, lag never 0) and says REWIND: a rewind within the window
      // stays REWIND while lag is never 0, however far the consumer got since (lag-status-burrow.test.ts).
      name: "rewind: committed offset went backwards, then past its old high point: still REWIND, as Burrow says",
      window: { samples: ticks([0, 1000, 2000], [10, 1500, 2100], [20, 1200, 2200], [30, 1700, 2300]), hasMembers: true },
      now: at(35), stopAfterMs: MIN, status: "REWIND", reason: /went back from 1,500 to 1,200/,
    },
    {
      name: "rewound, then caught up to lag 0: OK (Burrow: zero lag within the window)",
      window: { samples: ticks([0, 1000, 2000], [10, 1500, 2100], [20, 1200, 2200], [30, 2300, 2300], [40, 2300, 2310]), hasMembers: true },
      now: at(45), stopAfterMs: MIN, status: "OK", reason: /lag was 0 within the window/,
    },
    {
      name: "warn: committing, but lag grows every tick",
      window: { samples: ticks([0, 100, 200], [10, 110, 230], [20, 120, 260], [30, 130, 290]), hasMembers: true },
      now: at(35), stopAfterMs: MIN, status: "WARN", reason: /lag grew from 100 to 160 over 4 samples \(30 s\) while committing/,
    },
    {
      name: "warn allows flat steps as long as lag never decreases",
      window: { samples: ticks([0, 100, 200], [10, 150, 250], [20, 160, 300]) },
      now: at(25), stopAfterMs: MIN, status: "WARN", reason: /lag grew from 100 to 140/,
    },
    {
      name: "lag constant while committing keeps pace: OK",
      window: { samples: ticks([0, 100, 200], [10, 150, 250], [20, 200, 300]) },
      now: at(25), stopAfterMs: MIN, status: "OK", reason: /making progress/,
    },
    {
      name: "catching up: lag falling: OK",
      window: { samples: ticks([0, 100, 1000], [10, 500, 1100], [20, 900, 1200]), hasMembers: true },
      now: at(25), stopAfterMs: MIN, status: "OK", reason: /lag 300; consumer making progress/,
    },
    {
      name: "lag grew but one tick shrank: not WARN",
      window: { samples: ticks([0, 100, 200], [10, 110, 250], [20, 200, 260], [30, 210, 300]) },
      now: at(35), stopAfterMs: MIN, status: "OK", reason: /making progress/,
    },
    {
      name: "topic recreated: end fell below committed, lag 0: OK",
      window: { samples: ticks([0, 500, 600], [10, 500, 10]), hasMembers: true },
      now: at(15), status: "OK", reason: /caught up/,
    },
    {
      name: "ticks before the first commit are ignored for movement",
      window: { samples: ticks([0, null, 100], [10, null, 200], [20, 300, 400], [30, 300, 500]), hasMembers: true },
      now: at(35), stopAfterMs: MIN, status: "STALL", reason: /unchanged for 2 samples/,
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const r = partitionStatus(c.window, c.now, c.stopAfterMs ?? MIN);
      assert.equal(r.status, c.status, r.reason);
      assert.match(r.reason, c.reason);
    });
  }
});

describe("groupStatus", () => {
  test("order from mildest to worst", () => assert.deepEqual(LAG_STATUSES, ["OK", "WARN", "STALL", "REWIND", "STOP", "ERR"]));
  const cases: { statuses: LagStatus[]; expected: LagStatus }[] = [
    { statuses: [], expected: "OK" },
    { statuses: ["OK", "OK"], expected: "OK" },
    { statuses: ["OK", "WARN", "STALL", "OK"], expected: "STALL" },
    { statuses: ["REWIND", "STALL", "WARN"], expected: "REWIND" },
    { statuses: ["STALL", "STOP", "REWIND"], expected: "STOP" },
    { statuses: ["STOP", "ERR", "OK"], expected: "ERR" },
  ];
  for (const c of cases) test(`worst of [${c.statuses.join(", ")}] is ${c.expected}`, () => assert.equal(groupStatus(c.statuses), c.expected));
});
