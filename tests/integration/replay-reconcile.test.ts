// Reconciling interrupted replays against the real broker: bounded slices that resume, claims
// that cannot be settled yet never block other records, a deleted target settles as failed,
// a copy that retention or compaction may have removed settles as unknown (force needed),
// and a claim younger than the producer's retry budget is left alone.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { openStore, type Store } from "../../server/db/client";
import type { Config } from "../../server/config";
import { reconcilePending } from "../../server/replay/reconcile";
import { replayRecords, type ReplayOptions } from "../../server/replay/replay-records";
import { replayTargets } from "../../server/replay/targets";
import { startTap } from "../../server/tap/tap";
import { createTopics, freshDatabase, produce, testConfig, uniqueName, waitFor, withAdmin, withProducer } from "./harness";

const run = uniqueName("");
const SRC = `rr-${run}.orders`;
const DLT = `rr-${run}.orders.DLT`;
const BUSY = `rr-${run}.busy`;
const GONE = `rr-${run}.gone`;
const TRIMMED = `rr-${run}.trimmed`;
const COMPACTED = `rr-${run}.compacted`;
let store: Store;
let config: Config;
let opts: ReplayOptions;

const ref = (i: number) => ({ topic: DLT, partition: 0, offset: String(i) });
const endOf = (topic: string) => withAdmin(async (a) => (await a.fetchTopicOffsets(topic)).reduce((s, p) => s + Number(p.high), 0));

/** A claim as a crashed replay leaves it: pending, `ageMin` minutes old. */
async function claim(offset: number, target: string, floor: number, ageMin: number): Promise<string> {
  const id = randomUUID();
  await store.rows(sql`
    INSERT INTO replays (replay_id, dlq_topic, dlq_partition, dlq_offset, attempt, status, target_topic, target_partition, target_floor, requested_by, requested_at)
    VALUES (${id}, ${DLT}, 0, ${offset}, 1, 'pending', ${target}, 0, ${floor}, 'op', now() - make_interval(mins => ${ageMin}))`);
  return id;
}
const ledger = async (id: string) =>
  (await store.rows<{ status: string; error: string | null; target_offset: string | null; target_floor: string }>(sql`
    SELECT status, error, target_offset::text AS target_offset, target_floor::text AS target_floor FROM replays WHERE replay_id = ${id}`))[0]!;

before(async () => {
  config = testConfig({ DATABASE_URL: await freshDatabase(), FLOWTAP_TOPICS_INCLUDE: `^rr-${run}\\.`, FLOWTAP_TAP_GROUP: uniqueName("ft-rr-") });
  opts = { actor: "op", force: false, dryRun: false, maxCycles: 3, targets: replayTargets(config) };
  store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  await createTopics([{ topic: SRC }, { topic: DLT }, { topic: BUSY }, { topic: GONE }, { topic: TRIMMED }]);
  await withAdmin((a) => a.createTopics({ topics: [{ topic: COMPACTED, configEntries: [{ name: "cleanup.policy", value: "compact" }] }], waitForLeaders: true }));
  await produce(DLT, Array.from({ length: 10 }, (_, i) => ({ key: `k${i}`, value: JSON.stringify({ n: i }), headers: { "kafka_dlt-original-topic": SRC } })));
  const tap = await startTap(config, store, () => {});
  await waitFor("the dead letters indexed", async () => {
    const [r] = await store.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM events WHERE topic = ${DLT}`);
    return r!.n === 10;
  });
  await tap.stop();
});

after(async () => {
  await store?.close();
});

test("a claim younger than the producer's retry budget stays pending: the producer may still write it", async () => {
  const id = await claim(0, SRC, await endOf(SRC), 2);
  const before = await endOf(SRC);
  const [r] = await replayRecords(store, config.kafka, [ref(0)], opts);
  assert.equal(r!.status, "already-replayed", JSON.stringify(r));
  assert.match(r!.error ?? "", /in progress/);
  assert.equal((await ledger(id)).status, "pending");
  assert.equal(await endOf(SRC), before, "not sent a second time");
});

test("reconciliation goes in bounded slices that resume, and never blocks other records", async () => {
  await produce(BUSY, Array.from({ length: 3000 }, (_, i) => ({ key: `f${i}`, value: "x".repeat(1000) })));
  const id = await claim(1, BUSY, 0, 60);
  await withProducer((p) => p.send({ topic: BUSY, messages: [{ key: "copy", value: "{}", headers: { "x-flowtap-replay-id": id } }] }));
  const slice = { maxRecords: 1000, maxBytes: 64 * 1024 * 1024, timeoutMs: 30_000 };
  const first = await reconcilePending(store, config.kafka, 0, slice);
  assert.equal(first.pending, 1, JSON.stringify(first));
  const floor1 = BigInt((await ledger(id)).target_floor);
  assert.ok(floor1 >= 1000n && floor1 < 3000n, `floor moved to ${floor1}`);

  // Another record replays meanwhile; its own reconciliation pass is sliced too.
  const [other] = await replayRecords(store, config.kafka, [ref(2)], { ...opts, reconcile: slice });
  assert.equal(other!.status, "replayed", JSON.stringify(other));
  let calls = 0;
  while ((await ledger(id)).status === "pending" && calls < 10) {
    await reconcilePending(store, config.kafka, 0, slice);
    calls++;
  }
  const done = await ledger(id);
  assert.deepEqual([done.status, done.target_offset], ["replayed", "3000"]);
});

test("a deleted target topic settles its claim as failed, and other records replay", async () => {
  const id = await claim(3, GONE, 0, 60);
  await withAdmin((a) => a.deleteTopics({ topics: [GONE] }));
  const [r] = await replayRecords(store, config.kafka, [ref(4)], opts);
  assert.equal(r!.status, "replayed", JSON.stringify(r));
  const row = await ledger(id);
  assert.equal(row.status, "failed");
  assert.match(row.error ?? "", /deleted/);
});

test("log start past the claim's floor: unknown, and only force replays it again", async () => {
  await produce(TRIMMED, Array.from({ length: 10 }, (_, i) => ({ key: `t${i}`, value: "{}" })));
  const id = await claim(5, TRIMMED, 2, 60);
  await withAdmin(async (a) => {
    await a.fetchTopicMetadata({ topics: [TRIMMED] }); // deleteTopicRecords needs it loaded
    await a.deleteTopicRecords({ topic: TRIMMED, partitions: [{ partition: 0, offset: "5" }] });
  });
  const res = await reconcilePending(store, config.kafka, 0);
  assert.equal(res.unknown, 1, JSON.stringify(res));
  assert.equal((await ledger(id)).status, "unknown");
  const before = await endOf(SRC);
  const [plain] = await replayRecords(store, config.kafka, [ref(5)], opts);
  assert.equal(plain!.status, "unknown", JSON.stringify(plain));
  assert.match(plain!.error ?? "", /force/);
  assert.equal(await endOf(SRC), before, "not sent without force");
  const [forced] = await replayRecords(store, config.kafka, [ref(5)], { ...opts, force: true });
  assert.equal(forced!.status, "replayed");
});

test("a compacted target: a copy not found may have been compacted away, so unknown", async () => {
  const id = await claim(6, COMPACTED, 0, 60);
  await reconcilePending(store, config.kafka, 0);
  const row = await ledger(id);
  assert.equal(row.status, "unknown");
  assert.match(row.error ?? "", /compact/);
});
