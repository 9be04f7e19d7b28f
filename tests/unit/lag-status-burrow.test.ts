// Burrow's own correctness cases for its partition evaluator, transcribed as data: the `tests`
// table that TestCachingEvaluator_CheckRules runs, in linkedin/Burrow
// core/internal/evaluator/caching_test.go (cases 0–11, same numbers, same expected statuses).
//
// Burrow sees every commit event; Flowtap samples the committed offset once a tick. The mapping:
//   - each Burrow commit {Offset, Timestamp, Lag} is a tick that saw that committed offset and
//     end = Offset + Lag (a nil Lag: the tick could not tell the lag);
//   - Burrow's brokerOffsets (newest first) other than the newest are ticks after the last
//     commit, spread evenly up to timeNow, the committed offset unchanged;
//   - the tick at timeNow sees the last committed offset and end = Offset + currentLag;
//   - Burrow's STOP rule (no commit for longer than the commits' span) is Flowtap's rule for
//     unknown membership, with stopAfterMs = that span. Where Burrow sees the consumer still
//     committing (checkIfOffsetsStopped false), Flowtap's describeGroups would see members;
//     where it stopped committing, membership is left unknown. Flowtap tells STOP from STALL by
//     membership because sampling cannot see a commit that repeats the same offset (status.ts).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { partitionStatus, type LagStatus, type WindowSample } from "../../server/lag/status";

interface BurrowCase {
  /** Index in Burrow's `tests` table, and its comment. */
  name: string;
  /** [Offset, Timestamp ms, Lag (null: nil)] */
  offsets: Array<[number, number, number | null]>;
  brokerOffsets: number[];
  currentLag: number;
  /** Seconds, as in Burrow. */
  timeNow: number;
  checkIfOffsetsStopped: boolean;
  status: LagStatus;
}

const steady = (lags: number[], offsets = [1000, 2000, 3000, 4000, 5000]): BurrowCase["offsets"] =>
  offsets.map((o, i) => [o, (i + 1) * 100_000, lags[i]!]);
const everySecond = (): BurrowCase["offsets"] => {
  const ts = [1512224618356, 1512224619362, 1512224620366, 1512224621367, 1512224622370, 1512224623373, 1512224624378, 1512224625379,
    1512224626383, 1512224627383, 1512224628383, 1512224629388, 1512224630391, 1512224631394, 1512224632397];
  return ts.map((t, i) => [792748079 + i, t, 0]);
};

const CASES: BurrowCase[] = [
  { name: "0 - returns OK because there is zero lag somewhere", offsets: steady([0, 50, 100, 150, 200]), brokerOffsets: [5200], currentLag: 200, timeNow: 600, checkIfOffsetsStopped: false, status: "OK" },
  { name: "1 - same status. does not return true for stop because time since last commit (400s) is equal to the difference (500-100), not greater than", offsets: steady([0, 50, 100, 150, 200]), brokerOffsets: [5200], currentLag: 200, timeNow: 900, checkIfOffsetsStopped: false, status: "OK" },
  { name: "2 - status is now STOP because the time since last commit is great enough (500s), even though lag is zero at the start (fixed due to #290)", offsets: steady([0, 50, 100, 150, 200]), brokerOffsets: [5200], currentLag: 200, timeNow: 1000, checkIfOffsetsStopped: true, status: "STOP" },
  { name: "3 - status is STOP when lag is always non-zero as well", offsets: steady([50, 100, 150, 200, 250]), brokerOffsets: [5250], currentLag: 250, timeNow: 1000, checkIfOffsetsStopped: true, status: "STOP" },
  { name: "4 - status is OK because of zero lag, but stall is true because the offset is always the same and there is lag", offsets: steady([0, 50, 100, 150, 200], [1000, 1000, 1000, 1000, 1000]), brokerOffsets: [1200], currentLag: 200, timeNow: 600, checkIfOffsetsStopped: false, status: "OK" },
  { name: "5 - status is now STALL because the lag is always non-zero", offsets: steady([100, 150, 200, 250, 300], [1000, 1000, 1000, 1000, 1000]), brokerOffsets: [1300], currentLag: 300, timeNow: 600, checkIfOffsetsStopped: false, status: "STALL" },
  { name: "6 - status is still STALL even when the lag stays the same", offsets: steady([100, 100, 100, 100, 100], [1000, 1000, 1000, 1000, 1000]), brokerOffsets: [1100], currentLag: 100, timeNow: 600, checkIfOffsetsStopped: false, status: "STALL" },
  { name: "7 - status is REWIND because the offsets go backwards, even though the lag does decrease (rewind is worse)", offsets: steady([100, 150, 200, 1250, 300], [1000, 2000, 3000, 2000, 4000]), brokerOffsets: [4300], currentLag: 300, timeNow: 600, checkIfOffsetsStopped: false, status: "REWIND" },
  { name: "8 - status is OK because the current lag is 0 (even though the offsets show lag), even though it would be considered stopped due to timestamps", offsets: steady([50, 100, 150, 200, 250]), brokerOffsets: [5250], currentLag: 0, timeNow: 1000, checkIfOffsetsStopped: true, status: "OK" },
  { name: "9 - status is STOP due to timestamps because the current lag is non-zero, even though lag is always zero in offsets, only because there is new data (#290)", offsets: everySecond(), brokerOffsets: [792749024, 792749000, 792748800, 792748600, 792748500], currentLag: 931, timeNow: 1512224650, checkIfOffsetsStopped: true, status: "STOP" },
  { name: "10 - status is OK, even though it would be stop due to timestamps, as within the recent broker offset window the lag was zero (#303)", offsets: everySecond(), brokerOffsets: [792748094, 792748093, 792748093, 792748093], currentLag: 1, timeNow: 1512224650, checkIfOffsetsStopped: true, status: "OK" },
  {
    name: "11 - same case as test 0 with additional `nil` lag entries which should not affect results",
    offsets: [[1000, 100000, 0], [1500, 150000, null], [2000, 200000, 50], [2500, 250000, null], [3000, 300000, 100], [3500, 350000, null], [4000, 400000, 150], [4500, 450000, null], [5000, 500000, 200], [5500, 550000, null]],
    brokerOffsets: [5700], currentLag: 200, timeNow: 600, checkIfOffsetsStopped: false, status: "OK",
  },
];

function toWindow(c: BurrowCase): { samples: WindowSample[]; now: number; stopAfterMs: number; hasMembers: boolean | undefined } {
  const samples: WindowSample[] = c.offsets.map(([offset, t, lag]) => ({
    t,
    committed: BigInt(offset),
    end: BigInt(offset + (lag ?? 0)),
    lag: lag === null ? null : BigInt(lag),
  }));
  const [lastOffset, lastT] = c.offsets.at(-1)!;
  const now = c.timeNow * 1000;
  const older = c.brokerOffsets.slice(1).reverse();
  older.forEach((end, i) => {
    const lag = BigInt(Math.max(0, end - lastOffset));
    samples.push({ t: lastT + ((i + 1) * (now - lastT)) / (older.length + 1), committed: BigInt(lastOffset), end: BigInt(end), lag });
  });
  samples.push({ t: now, committed: BigInt(lastOffset), end: BigInt(lastOffset + c.currentLag), lag: BigInt(c.currentLag) });
  return { samples, now, stopAfterMs: lastT - c.offsets[0]![1], hasMembers: c.checkIfOffsetsStopped ? undefined : true };
}

describe("Burrow TestCachingEvaluator_CheckRules (linkedin/Burrow core/internal/evaluator/caching_test.go)", () => {
  for (const c of CASES) {
    test(`case ${c.name}`, () => {
      const w = toWindow(c);
      const r = partitionStatus({ samples: w.samples, hasMembers: w.hasMembers }, w.now, w.stopAfterMs);
      assert.equal(r.status, c.status, r.reason);
    });
  }
});
