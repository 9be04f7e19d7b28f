// Bulk replay benchmark: 10,000 dead-letter records replayed in chunks of 1,000 (as the UI
// sends them), ledger and audit included, beside a bare kafkajs producer sending the same
// records; then the same replay again, which must send nothing.
import type { Kafka } from "kafkajs";
import { sql } from "drizzle-orm";
import type { Config } from "../../server/config";
import type { Store } from "../../server/db/client";
import { replayRecords } from "../../server/replay/replay-records";
import { replayTargets } from "../../server/replay/targets";
import { startTap } from "../../server/tap/tap";

const RECORDS = 10_000;
const CHUNK = 1_000;

const int32 = (n: number) => Buffer.from([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]);
const int64 = (n: number) => {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(BigInt(n));
  return b;
};

export interface ReplayBench {
  baselineRate: number;
  replayRate: number;
  firstPass: number;
  secondPass: number;
  onSource: number;
}

export async function benchReplay(kafka: Kafka, config: Config, store: Store, log: (s: string) => void): Promise<ReplayBench> {
  const source = "benchreplay.payments";
  const dlt = "benchreplay.payments.DLT";
  const baselineTopic = "benchreplay.baseline";
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: source, numPartitions: 3 }, { topic: dlt, numPartitions: 1 }, { topic: baselineTopic, numPartitions: 3 }], waitForLeaders: true });
  const messages = Array.from({ length: RECORDS }, (_, i) => ({
    key: `order-${i}`,
    value: JSON.stringify({ eventId: `r-${i}`, type: "PaymentRequested", correlationId: `replay-${i % 1000}`, note: "x".repeat(300) }),
    headers: {
      "kafka_dlt-original-topic": source,
      "kafka_dlt-original-partition": int32(i % 3),
      "kafka_dlt-original-offset": int64(i),
      "kafka_dlt-exception-message": "Card declined",
    },
  }));
  const producer = kafka.producer();
  await producer.connect();
  for (let i = 0; i < RECORDS; i += CHUNK) await producer.send({ topic: dlt, messages: messages.slice(i, i + CHUNK) });

  // Baseline: the same records (key, value, headers) sent by a bare producer, same chunking.
  let t = performance.now();
  for (let i = 0; i < RECORDS; i += CHUNK) {
    await producer.send({ topic: baselineTopic, acks: -1, messages: messages.slice(i, i + CHUNK).map((m, k) => ({ ...m, partition: (i + k) % 3 })) });
  }
  const baselineRate = RECORDS / ((performance.now() - t) / 1000);
  await producer.disconnect();

  log("replay: indexing the dead-letter topic");
  const tap = await startTap({ ...config, topicsInclude: /^benchreplay\.payments\.DLT$/, tapGroup: `bench-replay-tap-${Date.now()}` }, store, () => {});
  for (;;) {
    const [r] = await store.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM events WHERE topic = ${dlt}`);
    if (r!.n >= RECORDS) break;
    await new Promise((res) => setTimeout(res, 250));
  }
  await tap.stop();

  const refs = Array.from({ length: RECORDS }, (_, i) => ({ topic: dlt, partition: 0, offset: String(i) }));
  const pass = async () => {
    let replayed = 0;
    for (let i = 0; i < RECORDS; i += CHUNK) {
      const results = await replayRecords(store, config.kafka, refs.slice(i, i + CHUNK), { actor: "bench", force: false, dryRun: false, maxCycles: 3, targets: replayTargets(config) });
      replayed += results.filter((r) => r.status === "replayed").length;
    }
    return replayed;
  };
  t = performance.now();
  const firstPass = await pass();
  const replayRate = RECORDS / ((performance.now() - t) / 1000);
  const secondPass = await pass();
  const onSource = (await admin.fetchTopicOffsets(source)).reduce((s, p) => s + Number(p.high), 0);
  await admin.disconnect();
  log(`replay: ${firstPass} replayed at ${Math.round(replayRate)}/s (bare producer ${Math.round(baselineRate)}/s); second pass replayed ${secondPass}; ${onSource} records on the source topic`);
  return { baselineRate, replayRate, firstPass, secondPass, onSource };
}
