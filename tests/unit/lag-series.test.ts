import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { downsample, sumPartitions, type LagPoint } from "../../server/lag/series";

const T0 = Date.UTC(2026, 3, 25, 9, 0, 0);
const at = (s: number) => T0 + s * 1000;
const pt = (s: number, lag: number | null, timeLag: number | null = null): LagPoint => ({ t: at(s), lag, timeLag });

describe("downsample", () => {
  const cases: { name: string; points: LagPoint[]; from: number; to: number; max: number; expected: LagPoint[] }[] = [
    {
      name: "keeps the max lag and max time lag per bucket, stamped with the bucket start",
      points: [pt(0, 5, 1), pt(10, 50, 3), pt(20, 7, 9), pt(30, 8, 2)],
      from: 0, to: 40, max: 2,
      expected: [pt(0, 50, 3), pt(20, 8, 9)],
    },
    {
      name: "null only when every point in the bucket is null",
      points: [pt(0, null, null), pt(10, 4, null), pt(20, null, null), pt(30, null, null)],
      from: 0, to: 40, max: 2,
      expected: [pt(0, 4, null), pt(20, null, null)],
    },
    {
      name: "leaves out empty buckets so gaps stay visible",
      points: [pt(0, 1), pt(35, 2)],
      from: 0, to: 40, max: 4,
      expected: [pt(0, 1), pt(30, 2)],
    },
    {
      name: "drops points outside the range; toMs itself joins the last bucket",
      points: [pt(-1, 99), pt(5, 1), pt(40, 3), pt(41, 99)],
      from: 0, to: 40, max: 2,
      expected: [pt(0, 1), pt(20, 3)],
    },
    {
      name: "unsorted input comes out in time order",
      points: [pt(30, 3), pt(0, 1), pt(15, 2)],
      from: 0, to: 40, max: 4,
      expected: [pt(0, 1), pt(10, 2), pt(30, 3)],
    },
    { name: "empty range", points: [pt(0, 1)], from: 40, to: 40, max: 4, expected: [] },
  ];
  for (const c of cases) test(c.name, () => assert.deepEqual(downsample(c.points, at(c.from), at(c.to), c.max), c.expected));

  test("a day of 10 s ticks fits in maxPoints and keeps the spike", () => {
    const points = Array.from({ length: 8640 }, (_, i) => pt(i * 10, i === 4321 ? 1_000_000 : i % 7));
    const out = downsample(points, at(0), at(86_400), 300);
    assert.equal(out.length, 300);
    assert.equal(Math.max(...out.map((p) => p.lag ?? 0)), 1_000_000);
  });

  test("rejects maxPoints < 1", () => assert.throws(() => downsample([], at(0), at(10), 0), RangeError));
});

describe("sumPartitions", () => {
  test("sums offset lag and takes the max time lag at aligned timestamps", () => {
    const p0 = [pt(0, 10, 2), pt(10, 20, 5)];
    const p1 = [pt(0, 1, 30), pt(10, 2, 1)];
    assert.deepEqual(sumPartitions([p0, p1]), [pt(0, 11, 30), pt(10, 22, 5)]);
  });
  test("a partition missing a timestamp or null there adds nothing; all null stays null", () => {
    const p0 = [pt(0, 10, 2), pt(10, null, null), pt(20, null, null)];
    const p1 = [pt(0, 1, null), pt(10, 5, 4), pt(20, null, null), pt(30, 8, 1)];
    assert.deepEqual(sumPartitions([p0, p1]), [pt(0, 11, 2), pt(10, 5, 4), pt(20, null, null), pt(30, 8, 1)]);
  });
  test("takes a Map's values and leaves its series unchanged", () => {
    const series = new Map([[0, [pt(0, 1, 1)]], [1, [pt(0, 2, 2)]]]);
    assert.deepEqual(sumPartitions(series.values()), [pt(0, 3, 2)]);
    assert.deepEqual(series.get(0), [pt(0, 1, 1)]);
  });
  test("downsampled partitions align and add up", () => {
    const from = at(0), to = at(60);
    const a = downsample([pt(1, 5), pt(31, 6)], from, to, 2);
    const b = downsample([pt(2, 7), pt(33, 1)], from, to, 2);
    assert.deepEqual(sumPartitions([a, b]), [pt(0, 12), pt(30, 7)]);
  });
  test("no partitions", () => assert.deepEqual(sumPartitions([]), []));
});
