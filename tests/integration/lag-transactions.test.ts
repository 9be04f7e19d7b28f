// An exactly-once consumer of a transactional topic, on the real broker: records produced in
// transactions, consumed by a real group that commits "last offset + 1" as such consumers do,
// and left caught up with the commit marker at the log end. The sampler, ticked directly, must
// keep it OK with lag 0 — not STALL after a window of ticks with lag 1.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import type { Consumer, Producer } from "kafkajs";
import { openStore, type Store } from "../../server/db/client";
import { getLag } from "../../server/lag/get-lag";
import { WINDOW } from "../../server/lag/compute-tick";
import { startLagSampler, type LagSampler } from "../../server/lag/sampler";
import { createTopics, freshDatabase, kafka, testConfig, uniqueName, waitFor, withAdmin } from "./harness";

const run = uniqueName("");
const topic = `lt-${run}.payments`;
const GROUP = `lt-${run}-eos`;
let store: Store;
let sampler: LagSampler;
let producer: Producer;
let consumer: Consumer;
let lastCommitted = -1;

const group = async () =>
  (await getLag(store, { since: new Date(Date.now() - 3_600_000), now: new Date(), intervalMs: 60_000 })).groups.find((g) => g.group === GROUP);

before(async () => {
  await createTopics([{ topic }]);
  producer = kafka().producer({ transactionalId: `lt-${run}`, idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  for (let t = 0; t < 3; t++) {
    const tx = await producer.transaction();
    await tx.send({ topic, messages: Array.from({ length: 4 }, (_, i) => ({ key: `t${t}-${i}`, value: "{}" })) });
    await tx.commit();
  }
  consumer = kafka().consumer({ groupId: GROUP, maxWaitTimeInMs: 200 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  // As an exactly-once consume-transform-produce loop does (sendOffsets): commit the processed
  // record's offset + 1, nothing else.
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ topic: t, partition, message }) => {
      const next = Number(message.offset) + 1;
      await consumer.commitOffsets([{ topic: t, partition, offset: String(next) }]);
      lastCommitted = next;
    },
  });
  await waitFor("the consumer to process all 12 records", async () => lastCommitted >= 0 && (await committedAndEnd()).committed === lastCommitted && lastCommitted >= 12);
  const config = testConfig({ DATABASE_URL: await freshDatabase(), FLOWTAP_LAG_INTERVAL_S: "60", FLOWTAP_LAG_GROUPS_INCLUDE: `^lt-${run}-` });
  store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  sampler = startLagSampler(config, store, () => {});
});

after(async () => {
  await consumer?.disconnect().catch(() => {});
  await producer?.disconnect().catch(() => {});
  await sampler?.stop();
  await store?.close();
});

async function committedAndEnd(): Promise<{ committed: number; end: number }> {
  return withAdmin(async (a) => {
    const [c] = await a.fetchOffsets({ groupId: GROUP, topics: [topic] });
    const [e] = await a.fetchTopicOffsets(topic);
    return { committed: Number(c!.partitions[0]!.offset), end: Number(e!.high) };
  });
}

test("a caught-up exactly-once consumer: the commit marker at the log end is not lag, and it never turns STALL", async () => {
  const before = await committedAndEnd();
  // The premise: the broker's own figures leave exactly the last transaction's marker.
  assert.equal(before.end - before.committed, 1, `end ${before.end}, committed ${before.committed}`);
  for (let i = 0; i < WINDOW + 3; i++) {
    assert.ok(await sampler.tick(), `tick ${i}`);
    const g = await group();
    assert.ok(g, `tick ${i}: the group is sampled`);
    assert.notEqual(g.status, "STALL", `tick ${i}: ${g.reason}`);
    assert.equal(g.status, "OK", `tick ${i}: ${g.reason}`);
    if (i >= 1) {
      assert.equal(g.lag, 0, `tick ${i}: ${JSON.stringify(g.partitions)}`);
      assert.equal(g.timeLagSeconds, 0);
      assert.match(g.partitions[0]!.reason, /transaction marker/);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  const g = (await group())!;
  assert.ok(g.members !== null && g.members > 0, "the consumer is a live member throughout");
  assert.deepEqual(await committedAndEnd(), before, "nothing moved while sampling: the marker stayed the only offset left");
});

test("records produced after the marker are lag at once", async () => {
  await withAdmin(async () => {}); // the broker is there
  await consumer.pause([{ topic }]);
  const tx = await producer.transaction();
  await tx.send({ topic, messages: Array.from({ length: 5 }, (_, i) => ({ key: `late-${i}`, value: "{}" })) });
  await tx.commit();
  await sampler.tick();
  const g = (await group())!;
  const { committed, end } = await committedAndEnd();
  assert.equal(g.lag, end - committed);
  assert.ok(g.lag! >= 5, String(g.lag));
});
