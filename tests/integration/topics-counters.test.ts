// topic_partitions, the topic browser's counters, over PostgreSQL and PGlite: after any sequence
// of chunks written the way the tap writes them (re-reads included: a crash before the commit
// sends a batch again), after a re-created topic displaces old rows, and after retention, every
// partition's row says what a GROUP BY over events says. And GET /api/topics's server functions
// read them.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { sql } from "drizzle-orm";
import { openStore, type Store } from "../../server/db/client";
import { topicRecordsQuery } from "../../server/contract/topics";
import { isoTs } from "../../server/db/sql";
import { pruneIndex } from "../../server/retention/prune-index";
import { findTopic, listTopics } from "../../server/topics/list-topics";
import { listTopicRecords } from "../../server/topics/list-topic-records";
import { freshDatabase, tempDir, uniqueName } from "./harness";
import { extracted, rawRecords, write } from "./topics-seed";

const run = uniqueName("ft-tpc-");

type Counter = { topic: string; partition: number; records: number; oldest_offset: string; newest_offset: string; oldest: string; newest: string; is_dlq: boolean };

/** The counters as the table holds them, and as events say they should be. */
async function both(store: Store, topicPrefix: string): Promise<{ table: Counter[]; truth: Counter[] }> {
  const like = `${topicPrefix}%`;
  const table = await store.rows<Counter>(sql`
    SELECT topic, partition, records::int AS records, oldest_offset::text AS oldest_offset, newest_offset::text AS newest_offset,
           ${isoTs(sql`oldest_ts`)} AS oldest, ${isoTs(sql`newest_ts`)} AS newest, is_dlq
    FROM topic_partitions WHERE topic LIKE ${like} ORDER BY 1, 2`);
  const truth = await store.rows<Counter>(sql`
    SELECT topic, partition, count(*)::int AS records, min("offset")::text AS oldest_offset, max("offset")::text AS newest_offset,
           ${isoTs(sql`min(ts)`)} AS oldest, ${isoTs(sql`max(ts)`)} AS newest, bool_or(is_dlq) AS is_dlq
    FROM events WHERE topic LIKE ${like} GROUP BY 1, 2 ORDER BY 1, 2`);
  return { table, truth };
}

async function assertTrue(store: Store, topicPrefix: string, what: string): Promise<Counter[]> {
  const { table, truth } = await both(store, topicPrefix);
  assert.deepEqual(table, truth, what);
  return table;
}

for (const kind of ["postgres", "pglite"] as const) {
  describe(`topic counters over ${kind}`, () => {
    let store: Store;
    before(async () => {
      store = await openStore({ databaseUrl: kind === "postgres" ? await freshDatabase() : null, dataDir: tempDir() });
    });
    after(() => store?.close());

    test("a batch read again changes no counter", async () => {
      const topic = `${run}-${kind}.reread`;
      const records = extracted(rawRecords(topic, 90));
      await write(store, records);
      const once = await assertTrue(store, topic, "after the first write");
      assert.deepEqual(once.map((c) => c.records), [30, 30, 30]);
      await write(store, records);
      await write(store, records.slice(10, 50));
      assert.deepEqual((await both(store, topic)).table, once, "re-reads counted nothing");
    });

    test("any sequence of chunks, with overlaps and repeats, leaves the counters true (property)", async () => {
      let n = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(fc.tuple(fc.nat(119), fc.integer({ min: 1, max: 60 })), { minLength: 1, maxLength: 8 }), async (slices) => {
          const topic = `${run}-${kind}.prop${n++}`;
          const pool = extracted(rawRecords(topic, 120));
          for (const [start, len] of slices) await write(store, pool.slice(start, start + len));
          await assertTrue(store, `${topic}`, JSON.stringify(slices));
        }),
        { numRuns: kind === "pglite" ? 15 : 30 },
      );
    });

    test("a re-created topic's records replace the old generation's and the counts stay true", async () => {
      const topic = `${run}-${kind}.recreated`;
      await write(store, extracted(rawRecords(topic, 30)));
      // The topic deleted and created again: offsets restart at 0, with other records.
      await write(store, extracted(rawRecords(topic, 12, Date.parse("2026-06-01T00:00:00Z"))));
      await assertTrue(store, topic, "after the new generation");
    });

    test("GET /api/topics's functions read the counters; a dead-letter topic is flagged", async () => {
      const topic = `${run}-${kind}.list`;
      const dlt = `${run}-${kind}.list.DLT`;
      await write(store, extracted(rawRecords(topic, 20)));
      await write(store, extracted(rawRecords(dlt, 4)));
      const [c0, c1, c2] = await assertTrue(store, topic, "list topic");
      const all = await listTopics(store);
      assert.deepEqual(all.find((t) => t.topic === topic), { topic, partitions: 3, records: 20, oldest: c0!.oldest, newest: [c0!, c1!, c2!].map((c) => c.newest).sort().at(-1), isDlq: false });
      assert.equal(all.find((t) => t.topic === dlt)?.isDlq, true);
      const detail = await findTopic(store, topic);
      assert.deepEqual(detail?.partitionList.map((p) => [p.partition, p.records, p.oldestOffset, p.newestOffset]), [[0, 7, "0", "6"], [1, 7, "0", "6"], [2, 6, "0", "5"]]);
      assert.equal(await findTopic(store, `${topic}.never`), null);
    });

    test("retention subtracts what it deletes, moves the oldest forward and drops emptied partitions", async () => {
      const topic = `${run}-${kind}.pruned`;
      await write(store, extracted(rawRecords(topic, 60)));
      // Indexed long ago: partition 0 up to offset 9, all of partition 2, and partition 1's newest record.
      await store.rows(sql`UPDATE events SET indexed_at = now() - interval '30 days'
        WHERE topic = ${topic} AND ((partition = 0 AND "offset" < 10) OR partition = 2 OR (partition = 1 AND "offset" = 19))`);
      const removed = await pruneIndex(store, new Date(Date.now() - 7 * 86_400_000));
      assert.ok(removed.events >= 31);
      const after = await assertTrue(store, topic, "after retention");
      assert.deepEqual(after.map((c) => [c.partition, c.records, c.oldest_offset, c.newest_offset]), [[0, 10, "10", "19"], [1, 19, "0", "18"]]);
      // The browser says an offset before what remains is gone.
      const page = await listTopicRecords(store, { ...topicRecordsQuery.parse({ partition: "0", offset: "3", order: "oldest" }), topic });
      assert.equal(page?.retention?.oldestOffset, "10");
      assert.match(page?.retention?.message ?? "", /from offset 10 on/);
      assert.equal(page?.records[0]?.offset, "10");
    });
  });
}
