// The lag sampler when the cluster misbehaves, on a broker of this test's own: partitions
// added, a topic deleted, the broker restarting between ticks. No crash, no invented numbers,
// a stated reason.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { Kafka, logLevel } from "kafkajs";
import { startKafka, type KafkaBroker } from "../../scripts/lib/kafka-broker";
import { openStore, type Store } from "../../server/db/client";
import { getLag } from "../../server/lag/get-lag";
import { startLagSampler, type LagSampler } from "../../server/lag/sampler";
import { freshDatabase, tempDir, testConfig, waitFor } from "./harness";

let broker: KafkaBroker;
let dir: string;
let store: Store;
let sampler: LagSampler;
const kafka = () => new Kafka({ brokers: [broker.brokers], logLevel: logLevel.NOTHING, retry: { retries: 5 } });

async function commitSome(groupId: string, topic: string, count: number): Promise<void> {
  const c = kafka().consumer({ groupId, maxWaitTimeInMs: 200 });
  await c.connect();
  await c.subscribe({ topics: [topic], fromBeginning: true });
  let seen = 0;
  await c.run({ eachMessage: async () => { seen++; } });
  await waitFor(`${groupId} to read ${count}`, async () => seen >= count);
  await c.disconnect();
}

const lagOf = async (group: string) =>
  (await getLag(store, { since: new Date(Date.now() - 3_600_000), now: new Date(), intervalMs: 60_000 })).groups.find((g) => g.group === group);

before(async () => {
  dir = tempDir("lag-faults-");
  broker = await startKafka({ dataDir: join(dir, "kafka"), log: () => {} });
  const admin = kafka().admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: "lf.orders", numPartitions: 2 }, { topic: "lf.doomed", numPartitions: 1 }], waitForLeaders: true });
  await admin.disconnect();
  const producer = kafka().producer();
  await producer.connect();
  await producer.send({ topic: "lf.orders", messages: Array.from({ length: 20 }, (_, i) => ({ key: `k${i}`, value: "{}" })) });
  await producer.send({ topic: "lf.doomed", messages: [{ value: "{}" }, { value: "{}" }] });
  await producer.disconnect();
  await commitSome("lf-orders", "lf.orders", 20);
  await commitSome("lf-doomed", "lf.doomed", 2);
  const config = testConfig({ KAFKA_BROKERS: broker.brokers, DATABASE_URL: await freshDatabase(), FLOWTAP_LAG_INTERVAL_S: "60", FLOWTAP_LAG_GROUPS_INCLUDE: "^lf-" });
  store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  sampler = startLagSampler(config, store, () => {});
  await sampler.tick();
});

after(async () => {
  await sampler?.stop();
  await store?.close();
  await broker?.stop();
});

test("partitions added while sampling: the new ones appear without invented lag", async () => {
  const admin = kafka().admin();
  await admin.connect();
  await admin.createPartitions({ topicPartitions: [{ topic: "lf.orders", count: 4 }] });
  await admin.disconnect();
  const out = await sampler.tick();
  assert.ok(out, "the tick succeeded");
  const g = await lagOf("lf-orders");
  assert.equal(g?.lag, 0, "the committed partitions are caught up");
  for (const p of g!.partitions) {
    assert.ok(p.lag === null || p.lag >= 0, `no negative lag: ${JSON.stringify(p)}`);
    if (p.committed === null) assert.equal(p.lag, null, "no commit: no number");
  }
});

test("a deleted topic: its partitions say why they have no figures", async () => {
  const admin = kafka().admin();
  await admin.connect();
  await admin.deleteTopics({ topics: ["lf.doomed"] });
  await admin.disconnect();
  await waitFor("the sampler to see the topic gone", async () => {
    await sampler.tick();
    const g = await lagOf("lf-doomed");
    return !g || g.partitions.length === 0 || g.partitions.every((p) => p.status === "ERR" && /unavailable|deleted/.test(p.reason));
  }, { timeoutMs: 30_000, intervalMs: 500 });
  const g = await lagOf("lf-doomed");
  if (g?.partitions.length) {
    assert.equal(g.status, "ERR");
    assert.ok(g.partitions.every((p) => p.lag === null && p.timeLagSeconds === null), "no invented numbers");
  }
});

test("the broker restarting between ticks: the tick fails quietly, the next one after it is back samples again", async () => {
  const before = await lagOf("lf-orders");
  await broker.stop();
  assert.equal(await sampler.tick(), null, "a failed tick is skipped, not a crash");
  assert.deepEqual((await lagOf("lf-orders"))?.partitions, before?.partitions, "nothing invented while the broker was away");
  broker = await startKafka({ dataDir: join(dir, "kafka"), port: broker.port, log: () => {} });
  // A group whose coordinator is not ready yet is ERR for a tick while the others are sampled
  // (one failure costs only its own figures); it samples again once the coordinator is back.
  await waitFor("lf-orders to be sampled again", async () => (await sampler.tick()) !== null && (await lagOf("lf-orders"))?.status === "OK", { timeoutMs: 60_000, intervalMs: 1000 });
  assert.equal((await lagOf("lf-orders"))?.lag, 0);
});
