import "server-only";
// What reconciliation needs to know of a replay's target topics: whether they still exist,
// whether they are compacted, and where each partition's log starts and ends.
import { ConfigResourceTypes } from "kafkajs";
import { createKafka, type KafkaSettings } from "./client";

export type TopicState = { gone: true } | { gone: false; compacted: boolean; low: Map<number, bigint>; high: Map<number, bigint> };

/** Per topic: deleted, or its cleanup policy and each partition's log start and end. */
export async function describeTargets(kafka: KafkaSettings, topics: string[]): Promise<Map<string, TopicState>> {
  const admin = createKafka(kafka, { clientId: `${kafka.clientId}-reconcile` }).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const out = new Map<string, TopicState>();
    for (const topic of topics) {
      if (!existing.has(topic)) {
        out.set(topic, { gone: true });
        continue;
      }
      const cfg = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ["cleanup.policy"] }] });
      const policy = cfg.resources[0]?.configEntries.find((e) => e.configName === "cleanup.policy")?.configValue ?? "delete";
      const offsets = await admin.fetchTopicOffsets(topic);
      out.set(topic, {
        gone: false,
        compacted: policy.includes("compact"),
        low: new Map(offsets.map((o) => [o.partition, BigInt(o.low)])),
        high: new Map(offsets.map((o) => [o.partition, BigInt(o.high)])),
      });
    }
    return out;
  } finally {
    await admin.disconnect().catch(() => {});
  }
}
