// Replay against a broker with DEFAULT limits (message.max.bytes 1048588; the shared test broker
// is raised to 10 MiB, which hid this): 500 dead letters of 8 KB onto ONE partition replay,
// each exactly once, and reading the originals keeps only the asked-for offsets.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { ConfigResourceTypes } from "kafkajs";
import { sql } from "drizzle-orm";
import { startKafka, type KafkaBroker } from "../../scripts/lib/kafka-broker";
import { openStore, type Store } from "../../server/db/client";
import type { Config } from "../../server/config";
import { readOffsets, readRanges } from "../../server/kafka/read-records";
import { replayRecords } from "../../server/replay/replay-records";
import { replayTargets } from "../../server/replay/targets";
import { startTap } from "../../server/tap/tap";
import { freshDatabase, tempDir, testConfig, uniqueName, waitFor, withAdmin, withProducer } from "./harness";

const N = 500;
const SRC = "rl.orders";
const DLT = "rl.orders.DLT";
const DEFAULT_MESSAGE_MAX_BYTES = "1048588";
let broker: KafkaBroker;
let store: Store;
let config: Config;

before(async () => {
  broker = await startKafka({ dataDir: join(tempDir("replay-limits-"), "kafka"), log: () => {} });
  // startKafka raises message.max.bytes to 10 MiB in server.properties; a dynamic broker config
  // overrides the static one, so this puts the broker back at Kafka's default.
  await withAdmin(async (a) => {
    await a.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.BROKER, name: "1", configEntries: [{ name: "message.max.bytes", value: DEFAULT_MESSAGE_MAX_BYTES }] }] });
    await a.createTopics({ topics: [{ topic: SRC, numPartitions: 1 }, { topic: DLT, numPartitions: 1 }], waitForLeaders: true });
  }, broker.brokers);
  config = testConfig({ KAFKA_BROKERS: broker.brokers, DATABASE_URL: await freshDatabase(), FLOWTAP_TOPICS_INCLUDE: "^rl\\.", FLOWTAP_TAP_GROUP: uniqueName("ft-rl-") });
  store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const value = (i: number) => JSON.stringify({ n: i, pad: "p".repeat(8192) });
  await withProducer(async (p) => {
    for (let i = 0; i < N; i += 50) {
      await p.send({ topic: DLT, messages: Array.from({ length: 50 }, (_, k) => ({ key: `k${i + k}`, value: value(i + k), headers: { "kafka_dlt-original-topic": SRC, "kafka_dlt-original-partition": Buffer.from([0, 0, 0, 0]) } })) });
    }
  }, broker.brokers);
  const tap = await startTap(config, store, () => {});
  await waitFor("the dead letters indexed", async () => {
    const [r] = await store.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM events WHERE topic = ${DLT}`);
    return r!.n === N;
  }, { timeoutMs: 120_000 });
  await tap.stop();
});

after(async () => {
  await store?.close();
  await broker?.stop();
});

test("the broker has Kafka's default limit: one 1.6 MB batch to one partition is refused", async () => {
  const configs = await withAdmin((a) => a.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: SRC, configNames: ["max.message.bytes"] }] }), broker.brokers);
  assert.equal(configs.resources[0]!.configEntries[0]!.configValue, DEFAULT_MESSAGE_MAX_BYTES);
  await assert.rejects(
    withProducer((p) => p.send({ topic: "rl.orders.DLT", messages: Array.from({ length: 200 }, () => ({ value: "x".repeat(8192) })) }), broker.brokers),
    /too large|MESSAGE_TOO_LARGE|larger than/i,
  );
});

test("reading originals keeps only the asked-for offsets", async () => {
  const got = await readOffsets(config.kafka, [{ topic: DLT, partition: 0, offset: "0" }, { topic: DLT, partition: 0, offset: "499" }]);
  assert.deepEqual([...got.keys()].sort(), [`${DLT}/0/0`, `${DLT}/0/499`]);
});

test("500 dead letters of 8 KB onto one partition replay, each exactly once", { timeout: 300_000 }, async () => {
  const refs = Array.from({ length: N }, (_, i) => ({ topic: DLT, partition: 0, offset: String(i) }));
  const t = performance.now();
  const results = await replayRecords(store, config.kafka, refs, { actor: "op", force: false, dryRun: false, maxCycles: 3, targets: replayTargets(config) });
  const ms = performance.now() - t;
  const bad = results.filter((r) => r.status !== "replayed");
  assert.equal(bad.length, 0, JSON.stringify(bad.slice(0, 3)));
  console.log(`replayed ${N} records of 8 KB onto one partition in ${Math.round(ms)} ms`);
  const ends = await withAdmin((a) => a.fetchTopicOffsets(SRC), broker.brokers);
  assert.equal(Number(ends[0]!.high), N, "exactly one copy each");
  const copies = await readRanges(config.kafka, [{ topic: SRC, partition: 0, from: "0", to: String(N - 1) }]);
  const of = new Set([...copies.values()].map((r) => String(r.headers["x-flowtap-replay-of"])));
  assert.equal(of.size, N, "every dead letter once");
  const again = await replayRecords(store, config.kafka, refs, { actor: "op", force: false, dryRun: false, maxCycles: 3, targets: replayTargets(config) });
  assert.ok(again.every((r) => r.status === "already-replayed"));
});
