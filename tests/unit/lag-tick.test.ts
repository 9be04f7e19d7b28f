// One sampler tick as pure computation (compute-tick.ts), on recorded inputs: what one failing
// group costs, membership that could not be read, and a transaction marker at the log end.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { computeTick, emptyMemory, type FetchedGroup, type SamplerMemory, type TickInput } from "../../server/lag/compute-tick";

const T0 = Date.UTC(2026, 3, 25, 9, 0, 0);
const INTERVAL = 10_000;
const member = { memberId: "m1", clientId: "app", host: "/10.0.0.1", assignment: { t: [0] } };
const group = (groupId: string, committed: FetchedGroup["committed"], extra: Partial<FetchedGroup> = {}): FetchedGroup => ({
  groupId, state: "Stable", members: [member], committed, error: null, ...extra,
});
const ends = (...rows: [string, number, number][]): TickInput["ends"] => {
  const m: TickInput["ends"] = new Map();
  for (const [topic, partition, high] of rows) {
    if (!m.has(topic)) m.set(topic, new Map());
    m.get(topic)!.set(partition, { high: BigInt(high), low: 0n });
  }
  return m;
};
/** Runs ticks 0..n-1, INTERVAL apart; returns the last output. */
function run(memory: SamplerMemory, n: number, input: (i: number) => Omit<TickInput, "now">) {
  let out = null;
  for (let i = 0; i < n; i++) out = computeTick({ now: T0 + i * INTERVAL, ...input(i) }, memory, INTERVAL);
  return out!;
}

describe("one failing group or topic costs only its own figures", () => {
  test("a group whose offsets could not be fetched is ERR; the other is sampled as usual", () => {
    const out = computeTick({
      now: T0,
      groups: [group("bad", null, { error: "NOT_COORDINATOR" }), group("good", [{ topic: "t", partition: 0, offset: "7" }])],
      ends: ends(["t", 0, 10]),
    }, emptyMemory(), INTERVAL);
    assert.deepEqual(out.partitionRows.map((p) => [p.groupId, p.lag, p.status]), [["good", 3, "OK"]]);
    assert.equal(out.groupRows.find((g) => g.groupId === "bad")?.status, "ERR");
    assert.match(out.groupRows.find((g) => g.groupId === "bad")!.reason, /NOT_COORDINATOR/);
  });

  test("a group whose data breaks the computation is ERR with the reason; the others are computed", () => {
    const out = computeTick({
      now: T0,
      groups: [group("broken", [{ topic: "t", partition: 0, offset: "not-a-number" }]), group("good", [{ topic: "t", partition: 0, offset: "10" }])],
      ends: ends(["t", 0, 10]),
    }, emptyMemory(), INTERVAL);
    assert.equal(out.groupRows.find((g) => g.groupId === "good")?.status, "OK");
    assert.deepEqual(out.partitionRows.filter((p) => p.groupId === "good").map((p) => p.lag), [0]);
    const broken = out.groupRows.find((g) => g.groupId === "broken");
    assert.equal(broken?.status, "ERR");
    assert.match(broken!.reason, /not computed/);
  });

  test("a topic whose end offsets are missing: only its partitions are ERR", () => {
    const out = computeTick({
      now: T0,
      groups: [group("g", [{ topic: "gone", partition: 0, offset: "3" }, { topic: "t", partition: 0, offset: "4" }])],
      ends: ends(["t", 0, 10]),
    }, emptyMemory(), INTERVAL);
    assert.deepEqual(out.partitionRows.map((p) => [p.topic, p.lag, p.status]), [["gone", null, "ERR"], ["t", 6, "OK"]]);
  });

  test("membership that could not be read (describeGroups failed) is unknown, not 'no members': no STOP from it", () => {
    const out = computeTick({
      now: T0,
      groups: [group("g", [{ topic: "t", partition: 0, offset: "4" }], { members: null, state: "Unknown" })],
      ends: ends(["t", 0, 10]),
    }, emptyMemory(), INTERVAL);
    const g = out.groupRows[0]!;
    assert.equal(g.status, "OK", g.reason);
    assert.equal(g.members, null);
    assert.equal(g.state, "Unknown");
  });
});

describe("a transaction marker at the log end is not lag", () => {
  test("committed at end − 1 while neither moves (an exactly-once consumer, caught up): OK, lag 0, 0 s behind, for good", () => {
    const memory = emptyMemory();
    for (let i = 0; i < 25; i++) {
      const out = computeTick({ now: T0 + i * INTERVAL, groups: [group("eos", [{ topic: "t", partition: 0, offset: "10" }])], ends: ends(["t", 0, 11]) }, memory, INTERVAL);
      const p = out.partitionRows[0]!;
      assert.equal(p.status, "OK", `tick ${i}: ${p.reason}`);
      if (i >= 1) {
        assert.equal(p.lag, 0, `tick ${i}`);
        assert.equal(p.timeLagSeconds, 0, `tick ${i}`);
        assert.match(p.reason, /transaction marker/);
      }
    }
  });

  test("committed at end − 1 while the end still moves: the 1 is counted", () => {
    const out = run(emptyMemory(), 3, (i) => ({ groups: [group("g", [{ topic: "t", partition: 0, offset: String(10 + i) }])], ends: ends(["t", 0, 11 + i]) }));
    assert.equal(out.partitionRows[0]!.lag, 1);
  });

  test("two offsets left and stuck: a stuck consumer, STALL, not hidden", () => {
    const out = run(emptyMemory(), 12, () => ({ groups: [group("g", [{ topic: "t", partition: 0, offset: "9" }])], ends: ends(["t", 0, 11]) }));
    assert.equal(out.partitionRows[0]!.lag, 2);
    assert.equal(out.partitionRows[0]!.status, "STALL");
  });

  test("records arriving after the marker are lag again at once", () => {
    const memory = emptyMemory();
    run(memory, 5, () => ({ groups: [group("g", [{ topic: "t", partition: 0, offset: "10" }])], ends: ends(["t", 0, 11]) }));
    const out = computeTick({ now: T0 + 5 * INTERVAL, groups: [group("g", [{ topic: "t", partition: 0, offset: "10" }])], ends: ends(["t", 0, 20]) }, memory, INTERVAL);
    assert.equal(out.partitionRows[0]!.lag, 10);
  });
});
