// The topic browser's record list over PostgreSQL and PGlite: records written the way the tap
// writes them (topics-seed.ts), then read through listTopicRecords with query strings parsed by
// the API's own schema. Windows, partition + offset, both orders, each filter, the retention note,
// and (property-based, fast-check) cursor paging that neither skips nor repeats a record whatever
// the page size, filters and scan bound. A failing run prints its seed.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { openStore, type Store } from "../../server/db/client";
import { topicRecordsQuery } from "../../server/contract/topics";
import type { ExtractedRecord } from "../../server/extract/types";
import { BadCursorError } from "../../server/flows/list-recent-flows";
import { listTopicRecords } from "../../server/topics/list-topic-records";
import { freshDatabase, tempDir, uniqueName } from "./harness";
import { compare, extracted, keyOf, MINUTE, NOW, rawRecords, write } from "./topics-seed";

const TOPIC = `${uniqueName("ft-topics-")}.orders`;
const OTHER = `${TOPIC}.other`;
const RECORDS = extracted(rawRecords(TOPIC, 150));
const iso = (ms: number) => new Date(ms).toISOString();

type Params = Record<string, string | undefined>;

/** What the API must answer, computed here from the records as written. */
function expected(p: Params): string[] {
  const desc = p.order !== "oldest";
  let rows: ExtractedRecord[];
  if (p.offset !== undefined) {
    const o = BigInt(p.offset);
    rows = RECORDS.filter((r) => r.partition === Number(p.partition) && (desc ? BigInt(r.offset) <= o : BigInt(r.offset) >= o));
  } else {
    const to = p.to ?? iso(NOW);
    const span = /^(\d+)([mh])$/.exec(p.from ?? "15m");
    const from = span ? iso(Date.parse(to) - Number(span[1]) * (span[2] === "h" ? 60 : 1) * MINUTE) : p.from!;
    rows = RECORDS.filter((r) => r.timestamp >= from && r.timestamp <= to && (p.partition === undefined || r.partition === Number(p.partition)));
  }
  if (p.key !== undefined) rows = rows.filter((r) => !r.keyBinary && r.key === p.key);
  if (p.eventType !== undefined) rows = rows.filter((r) => r.eventType === p.eventType);
  if (p.header !== undefined) {
    const [name, value] = p.header.split("=") as [string, string];
    rows = rows.filter((r) => r.headers[name] === value);
  }
  if (p.contains !== undefined) {
    const needle = p.contains;
    rows = rows.filter((r) => r.valueJson.includes(needle) || r.valueJson.includes(JSON.stringify(needle).slice(1, -1)));
  }
  rows.sort(compare);
  if (desc) rows.reverse();
  return rows.map(keyOf);
}

for (const kind of ["postgres", "pglite"] as const) {
  describe(`topic records over ${kind}`, () => {
    let store: Store;
    const list = (p: Params, extra: { cursor?: string; scanCap?: number } = {}) => {
      const q = topicRecordsQuery.parse(Object.fromEntries(Object.entries({ ...p, cursor: extra.cursor }).filter(([, v]) => v !== undefined)));
      return listTopicRecords(store, { ...q, topic: TOPIC, now: NOW, scanCap: extra.scanCap });
    };
    /** Every page until the end: the keys in order, and the pages' sizes. */
    const walk = async (p: Params, scanCap?: number) => {
      const keys: string[] = [];
      const sizes: number[] = [];
      let cursor: string | undefined;
      for (let i = 0; i < 2_000; i++) {
        const page = await list(p, { cursor, scanCap });
        assert.ok(page, "the topic is indexed");
        keys.push(...page.records.map(keyOf));
        sizes.push(page.records.length);
        if (page.nextCursor === null) return { keys, sizes };
        cursor = page.nextCursor;
      }
      throw new Error("no end after 2,000 pages");
    };

    before(async () => {
      store = await openStore({ databaseUrl: kind === "postgres" ? await freshDatabase() : null, dataDir: tempDir() });
      await write(store, RECORDS);
      await write(store, extracted(rawRecords(OTHER, 10)));
    });
    after(() => store?.close());

    test("the default window is the last 15 minutes, newest first, ties broken by partition and offset", async () => {
      const page = await list({ limit: "500" });
      assert.deepEqual(page?.window, { from: iso(NOW - 15 * MINUTE), to: iso(NOW) });
      assert.deepEqual(page?.records.map(keyOf), expected({}));
      assert.ok(page!.records.length > 40, "the window holds records");
      assert.equal(page?.retention, undefined);
      assert.equal(page?.nextCursor, null);
    });

    test("explicit and relative windows, both orders", async () => {
      const cases: Params[] = [
        { from: iso(NOW - 40 * MINUTE), to: iso(NOW - 30 * MINUTE) },
        { from: iso(NOW - 40 * MINUTE), to: iso(NOW - 30 * MINUTE), order: "oldest" },
        { from: "5m", to: iso(NOW - 20 * MINUTE) },
        { from: "1h" },
        { from: "1h", order: "oldest" },
      ];
      for (const p of cases) {
        const want = expected(p);
        assert.ok(want.length > 0, `the seed has records for ${JSON.stringify(p)}`);
        assert.deepEqual((await list({ ...p, limit: "500" }))?.records.map(keyOf), want, JSON.stringify(p));
      }
    });

    test("a partition from an offset, forwards and backwards", async () => {
      for (const p of [{ partition: "1", offset: "10", order: "oldest" }, { partition: "1", offset: "10" }, { partition: "2", offset: "0" }, { partition: "0", offset: "999" }]) {
        const page = await list({ ...p, limit: "500" });
        assert.deepEqual(page?.records.map(keyOf), expected(p), JSON.stringify(p));
        assert.deepEqual(page?.window, { from: null, to: null, partition: Number(p.partition), offset: p.offset });
      }
    });

    test("each filter, alone and together", async () => {
      const wide = { from: iso(NOW - 60 * MINUTE) };
      const cases: Params[] = [
        { ...wide, partition: "2" },
        { ...wide, key: "k3" },
        { ...wide, eventType: "T1" },
        { ...wide, header: "x-tenant=t2" },
        { ...wide, contains: "needle" },
        { ...wide, contains: 'needle "quoted"' },
        { ...wide, contains: 'with "quotes"' },
        { ...wide, key: "k1", header: "x-tenant=t1", order: "oldest" },
        { partition: "0", offset: "5", order: "oldest", contains: "hay" },
      ];
      for (const p of cases) {
        const want = expected(p);
        assert.ok(want.length > 0, `the seed has records for ${JSON.stringify(p)}`);
        assert.deepEqual((await list({ ...p, limit: "500" }))?.records.map(keyOf), want, JSON.stringify(p));
      }
      // A key nothing has: an empty page, not an error.
      assert.deepEqual((await list({ ...wide, key: "nope" }))?.records, []);
    });

    test("a filtered scan stops at its bound, says so, and the cursor goes on from there", async () => {
      const p = { from: iso(NOW - 60 * MINUTE), eventType: "T3" };
      const page = await list(p, { scanCap: 7 });
      assert.ok(page?.scan, "the answer says the scan stopped");
      assert.equal(page.scan.examined, 7);
      assert.match(page.scan.message, /^Stopped after examining 7 records/);
      assert.ok(page.nextCursor);
      assert.deepEqual((await walk(p, 7)).keys, expected(p));
    });

    test("a range the index no longer holds is named in the answer", async () => {
      const oldest = RECORDS.map((r) => r.timestamp).sort()[0]!;
      const early = await list({ from: iso(NOW - 3 * 60 * MINUTE) });
      assert.equal(early?.retention?.oldestIndexed, oldest);
      assert.match(early?.retention?.message ?? "", /holds records of this topic from .* on; the range asked for starts earlier/);
      assert.equal((await list({ from: oldest }))?.retention, undefined);
      // Partition 1 starts at offset 0 here: an offset below cannot be asked for, so no note.
      assert.equal((await list({ partition: "1", offset: "0" }))?.retention, undefined);
    });

    test("an unknown topic is null; a bad or foreign cursor is a BadCursorError", async () => {
      const q = topicRecordsQuery.parse({});
      assert.equal(await listTopicRecords(store, { ...q, topic: `${TOPIC}.never`, now: NOW }), null);
      const first = await list({ limit: "2" });
      const cursor = first!.nextCursor!;
      await assert.rejects(list({ limit: "2", order: "oldest" }, { cursor }), (e) => e instanceof BadCursorError && /another order, partition or filters/.test(e.message));
      await assert.rejects(list({ limit: "2", key: "k1" }, { cursor }), BadCursorError);
      for (const bad of ["x", Buffer.from("[1]").toString("base64url"), cursor.slice(0, -4)]) {
        await assert.rejects(list({ limit: "2" }, { cursor: bad }), (e) => e instanceof BadCursorError && /^cursor: /.test(e.message));
      }
      // The cursor keeps the window the first page resolved, whatever the clock says later.
      const later = await listTopicRecords(store, { ...topicRecordsQuery.parse({ limit: "2", cursor }), topic: TOPIC, now: NOW + 60 * MINUTE });
      assert.deepEqual(later?.window, first?.window);
    });

    test("cursor paging never skips or repeats a record (property)", async () => {
      const minute = fc.integer({ min: 0, max: 50 });
      const time = fc.oneof(
        fc.constant({}),
        fc.tuple(minute, minute).map(([a, b]) => ({ from: iso(NOW - Math.max(a, b) * MINUTE), to: iso(NOW - Math.min(a, b) * MINUTE) })),
        fc.constantFrom({ from: "30m" }, { from: "1h" }),
      );
      const offsets = fc.record({ partition: fc.constantFrom("0", "1", "2"), offset: fc.integer({ min: 0, max: 60 }).map(String) });
      const params = fc.record(
        {
          order: fc.constantFrom("newest", "oldest"),
          limit: fc.integer({ min: 1, max: 30 }).map(String),
          key: fc.constantFrom("k1", "k4", "k6"),
          eventType: fc.constantFrom("T0", "T2"),
          header: fc.constantFrom("x-tenant=t0", "x-tenant=t1"),
          contains: fc.constantFrom("needle", "hay", '"quotes"'),
          partition: fc.constantFrom("0", "2"),
        },
        { requiredKeys: ["order", "limit"] },
      );
      await fc.assert(
        fc.asyncProperty(fc.oneof(time, offsets), params, fc.option(fc.integer({ min: 1, max: 40 }), { nil: undefined }), async (range, p, scanCap) => {
          const q: Params = { ...p, ...range };
          const { keys, sizes } = await walk(q, scanCap);
          assert.deepEqual(keys, expected(q));
          assert.ok(sizes.every((n) => n <= Number(q.limit)));
          // Without a scan bound in play, every page but the last is full.
          if (scanCap === undefined) assert.ok(sizes.slice(0, -1).every((n) => n === Number(q.limit)), `page sizes ${sizes.join(",")}`);
        }),
        { numRuns: kind === "pglite" ? 40 : 60 },
      );
    });
  });
}
