// A third tap joins while two taps index a backlog on six partitions: 120k records, not 30k,
// because two taps index 30k in about two seconds and the old code then finished the backlog
// before the rebalance reached it. Batches hold more than one chunk (1 MB per partition of
// ~500-byte records, 1,000 rows a statement), so the heartbeat between chunks meets the
// rebalance: the batch must be abandoned uncommitted and the tap must rejoin, not retry the
// heartbeat forever inside eachBatch (the old code: lag never reached 0 in 240 s). To make
// "mid-backlog" certain rather than a race, another session holds a SHARE lock on `events` for
// the moment the third tap joins: the first two are inside a batch, their first insert waiting.
// Real broker, real PostgreSQL.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import postgres from "postgres";
import { sql } from "drizzle-orm";
import { openStore, type Store } from "../../server/db/client";
import { startTap, type Tap } from "../../server/tap/tap";
import { createTopics, freshDatabase, groupLag, produce, testConfig, uniqueName, waitFor } from "./harness";

const RECORDS = 120_000;
const topic = uniqueName("rebalance-");
const group = uniqueName("ft-rebalance-");
const taps: Tap[] = [];
const stores: Store[] = [];
let locker: postgres.Sql | undefined;

after(async () => {
  await locker?.end({ timeout: 1 });
  for (const t of taps) await t.stop();
  for (const s of stores) await s.close();
});

async function indexed(store: Store): Promise<number> {
  const [r] = await store.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM events WHERE topic = ${topic}`);
  return r!.n;
}

/** Holds a SHARE lock on `events` (reads pass, inserts wait) until the returned function is called. */
async function holdInserts(url: string): Promise<() => void> {
  locker = postgres(url, { max: 1, onnotice: () => {} });
  return new Promise((resolve) => {
    void locker!.begin(async (tx) => {
      await tx`LOCK TABLE events IN SHARE MODE`;
      await new Promise<void>((done) => resolve(done));
    });
  });
}

test("a tap joining mid-backlog: everything indexed once, lag 0 within 60 s, every tap running", { timeout: 240_000 }, async () => {
  await createTopics([{ topic, numPartitions: 6 }]);
  const pad = "p".repeat(420);
  const url = await freshDatabase();
  const config = testConfig({ DATABASE_URL: url, FLOWTAP_TOPICS_INCLUDE: `^${topic}$`, FLOWTAP_TAP_GROUP: group });
  const start = async () => {
    const store = await openStore({ databaseUrl: url, dataDir: config.dataDir, maxConnections: 3 });
    stores.push(store);
    taps.push(await startTap(config, store, () => {}));
  };
  const store = await openStore({ databaseUrl: url, dataDir: config.dataDir, maxConnections: 1 });
  stores.push(store);
  await start();
  await start();
  await waitFor("both taps to own partitions", async () => taps.every((t) => t.state().partitions.length > 0) && taps.reduce((n, t) => n + t.state().partitions.length, 0) === 6);
  const release = await holdInserts(url);
  await produce(topic, Array.from({ length: RECORDS }, (_, i) => ({ key: `k${i}`, value: JSON.stringify({ correlationId: `rb-${i % 500}`, pad }) })));
  await start();
  const joined = Date.now();
  assert.equal(await indexed(store), 0, "the third tap joins while the first two hold their first batch");
  // Longer than kafkajs's 3 s heartbeat interval, so the heartbeat between chunks is due and
  // meets the rebalance (a shorter wait lets it be skipped and the batch slip through).
  await new Promise((r) => setTimeout(r, 5_000));
  release();

  await waitFor("every record indexed", async () => (await indexed(store)) === RECORDS, { timeoutMs: 60_000 });
  await waitFor("committed to the end", async () => (await groupLag(group, [topic])) === 0, { timeoutMs: 60_000 });
  assert.ok(Date.now() - joined < 60_000, `lag 0 ${Date.now() - joined} ms after the join`);
  await waitFor("every tap running with its share of the six partitions", async () =>
    taps.every((t) => t.state().state === "running" && t.state().partitions.length === 2));
  const [flows] = await store.rows<{ n: number }>(sql`SELECT sum(events)::int AS n FROM flows WHERE correlation_id LIKE 'rb-%'`);
  assert.equal(flows!.n, RECORDS, "flows count each record once");
});
