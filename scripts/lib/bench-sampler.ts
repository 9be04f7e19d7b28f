// Lag sampler cost: 200 consumer groups over 50 topics × 6 partitions. The sampler's CPU per
// tick (admin calls, status and interpolation, store writes) beside the CPU of the same admin
// calls alone, both in this process, as a share of one core at the 10 s interval.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Kafka } from "kafkajs";
import type { Config } from "../../server/config";
import type { Store } from "../../server/db/client";
import { createGroupAdmin } from "../../server/kafka/groups";
import { mapLimit } from "../../server/lag/map-limit";
import { startLagSampler } from "../../server/lag/sampler";
import { ensureKafkaJars } from "./kafka-broker";

const GROUPS = 200;
const TOPICS = 50;
const PARTITIONS = 6;
const TICKS = 6;
const INTERVAL_S = 10;

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Creates the groups with Kafka's AdminClient (javac + java from the machine, the broker jars on the classpath). */
function createGroups(brokers: string, topics: string[], work: string): void {
  const libs = ensureKafkaJars();
  const out = join(work, "classes");
  mkdirSync(out, { recursive: true });
  const src = resolve(import.meta.dirname, "java", "BenchGroups.java");
  execFileSync("javac", ["-cp", `${libs}/*`, "-d", out, src], { stdio: "inherit" });
  const log4j = join(work, "bench-groups-log4j.properties");
  writeFileSync(log4j, "log4j.rootLogger=ERROR, out\nlog4j.appender.out=org.apache.log4j.ConsoleAppender\nlog4j.appender.out.layout=org.apache.log4j.SimpleLayout\n");
  execFileSync("java", ["-cp", `${out}:${libs}/*`, `-Dlog4j.configuration=file:${log4j}`, "BenchGroups", brokers, "bench-lag-g", String(GROUPS), ...topics], { stdio: ["ignore", "ignore", "inherit"] });
}

export async function benchSampler(kafka: Kafka, config: Config, store: Store, work: string) {
  const topics = Array.from({ length: TOPICS }, (_, i) => `benchlag.t${i}`);
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: topics.map((topic) => ({ topic, numPartitions: PARTITIONS })), waitForLeaders: true });
  await admin.disconnect();
  createGroups(config.kafka.brokers.join(","), topics, work);

  // Baseline: the admin calls alone, once per tick.
  const groupAdmin = await createGroupAdmin(config.kafka);
  const bare = async () => {
    const ids = (await groupAdmin.listGroupIds()).filter((id) => id.startsWith("bench-lag-g"));
    await groupAdmin.describeGroups(ids);
    await mapLimit(ids, 8, (id) => groupAdmin.committedOffsets(id));
    await mapLimit(topics, 8, (t) => groupAdmin.topicEnds(t));
    return ids.length;
  };
  await bare();
  let c = cpuMs();
  let groups = 0;
  for (let i = 0; i < TICKS; i++) groups = await bare();
  const baseMs = (cpuMs() - c) / TICKS;
  await groupAdmin.close();

  const sampler = startLagSampler({ ...config, lagIntervalMs: 3_600_000, lagGroupsInclude: /^bench-lag-g/ }, store, () => {});
  await sampler.tick();
  c = cpuMs();
  let partitions = 0;
  for (let i = 0; i < TICKS; i++) partitions = (await sampler.tick())?.partitionRows.length ?? 0;
  const tickMs = (cpuMs() - c) / TICKS;
  await sampler.stop();
  return { groups, partitions, tickMs, baseMs, share: tickMs / (INTERVAL_S * 1000), baseShare: baseMs / (INTERVAL_S * 1000) };
}
