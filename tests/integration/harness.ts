// Shared by the integration tests: the broker and PostgreSQL that `npm test` started,
// fresh databases, producing records, and waiting for conditions (never fixed sleeps).
import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { Kafka, logLevel, type Admin, type Message, type Producer } from "kafkajs";
import postgres from "postgres";
import { parseConfig, type Config } from "../../server/config";

export function requireEnv(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the integration tests through \`npm test\`, which starts Kafka and PostgreSQL`);
  return v;
}

export const brokers = () => requireEnv("FLOWTAP_TEST_KAFKA_BROKERS");
export const pgUrl = () => requireEnv("FLOWTAP_TEST_DATABASE_URL");

export function uniqueName(prefix: string): string {
  return `${prefix}${randomBytes(4).toString("hex")}`;
}

/** A fresh database on the test PostgreSQL server; returns its URL. */
export async function freshDatabase(serverUrl = pgUrl()): Promise<string> {
  const name = uniqueName("ft_");
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A new folder under the run's work folder, open to other users (PostgreSQL may run as one). */
export function tempDir(prefix = "ft-"): string {
  const dir = mkdtempSync(join(process.env.FLOWTAP_TEST_WORKDIR ?? tmpdir(), prefix));
  chmodSync(dir, 0o755);
  return dir;
}

export function testConfig(env: Record<string, string | undefined>): Config {
  return parseConfig({ KAFKA_BROKERS: brokers(), FLOWTAP_TOPIC_REFRESH_S: "2", ...env });
}

export function kafka(brokerList = brokers()): Kafka {
  return new Kafka({ clientId: "flowtap-test", brokers: [brokerList], logLevel: logLevel.NOTHING, retry: { retries: 3 } });
}

export async function withAdmin<T>(fn: (a: Admin) => Promise<T>, brokerList = brokers()): Promise<T> {
  const admin = kafka(brokerList).admin();
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.disconnect();
  }
}

export async function createTopics(topics: Array<{ topic: string; numPartitions?: number }>, brokerList = brokers()): Promise<void> {
  await withAdmin(async (a) => {
    await a.createTopics({ topics: topics.map((t) => ({ topic: t.topic, numPartitions: t.numPartitions ?? 1 })), waitForLeaders: true });
  }, brokerList);
}

export async function withProducer<T>(fn: (p: Producer) => Promise<T>, brokerList = brokers()): Promise<T> {
  const producer = kafka(brokerList).producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    return await fn(producer);
  } finally {
    await producer.disconnect();
  }
}

export async function produce(topic: string, messages: Message[], brokerList = brokers()): Promise<void> {
  await withProducer(async (p) => {
    for (let i = 0; i < messages.length; i += 500) {
      await p.send({ topic, messages: messages.slice(i, i + 500) });
    }
  }, brokerList);
}

/** Sum of (end offset − committed offset) of a group over topics; null commits count as the whole partition. */
export async function groupLag(groupId: string, topics: string[], brokerList = brokers()): Promise<number> {
  return withAdmin(async (a) => {
    let lag = 0;
    const committed = await a.fetchOffsets({ groupId, topics });
    for (const t of committed) {
      const ends = await a.fetchTopicOffsets(t.topic);
      for (const p of t.partitions) {
        const end = BigInt(ends.find((e) => e.partition === p.partition)?.high ?? "0");
        const c = BigInt(p.offset);
        lag += Number(c < 0n ? end : end - c);
      }
    }
    return lag;
  }, brokerList);
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false>,
  opts: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  let lastError: unknown = null;
  for (;;) {
    try {
      const v = await probe();
      if (v !== null && v !== undefined && v !== false) return v;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}${lastError ? ` (last error: ${String(lastError)})` : ""}`);
    }
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 200));
  }
}
