import "server-only";
// Producing records to explicit partitions, for replay. The partition is chosen here
// (Java-compatible murmur2 on the key, like the Kafka clients) before anything is sent, so
// the ledger knows where a record will land even if the process dies mid-send.
import { Partitioners, type Producer, type Admin } from "kafkajs";
import { createKafka, type KafkaSettings } from "./client";

export interface OutRecord {
  topic: string;
  partition: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, Buffer | Buffer[]>;
}

export interface ReplayProducer {
  /** Partition count of a topic, or null when it does not exist. */
  partitions(topic: string): Promise<number | null>;
  /** The partition the default partitioner gives a key (keyless: round-robin). */
  partitionFor(topic: string, key: Buffer | null, partitions: number): number;
  /** The next offset of each partition (high watermark). */
  endOffsets(topic: string): Promise<Map<number, string>>;
  /** Sends and returns each record's offset, in input order. */
  send(records: OutRecord[]): Promise<string[]>;
  close(): Promise<void>;
}

export async function createReplayProducer(settings: KafkaSettings): Promise<ReplayProducer> {
  const kafka = createKafka(settings, { clientId: `${settings.clientId}-replay` });
  const producer: Producer = kafka.producer({ allowAutoTopicCreation: false, idempotent: true, maxInFlightRequests: 1 });
  const admin: Admin = kafka.admin();
  await Promise.all([producer.connect(), admin.connect()]);
  const partitioner = Partitioners.DefaultPartitioner();
  return {
    partitions: async (topic) => {
      const topics = await admin.listTopics();
      if (!topics.includes(topic)) return null;
      const meta = await admin.fetchTopicMetadata({ topics: [topic] });
      return meta.topics[0]?.partitions.length ?? null;
    },
    partitionFor: (topic, key, partitions) =>
      partitioner({
        topic,
        partitionMetadata: Array.from({ length: partitions }, (_, partitionId) => ({ partitionId, leader: 0, replicas: [0], isr: [0], offlineReplicas: [], partitionErrorCode: 0 })),
        message: { key, value: null },
      }),
    endOffsets: async (topic) => new Map((await admin.fetchTopicOffsets(topic)).map((o) => [o.partition, o.high])),
    send: async (records) => {
      const byTopic = new Map<string, OutRecord[]>();
      for (const r of records) byTopic.set(r.topic, [...(byTopic.get(r.topic) ?? []), r]);
      const meta = await producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, list]) => ({
          topic,
          messages: list.map((r) => ({ partition: r.partition, key: r.key, value: r.value, headers: r.headers })),
        })),
      });
      // Within one partition the records got consecutive offsets from baseOffset, in send order.
      const next = new Map(meta.map((m) => [`${m.topicName}/${m.partition}`, BigInt(m.baseOffset ?? "0")]));
      return records.map((r) => {
        const k = `${r.topic}/${r.partition}`;
        const off = next.get(k);
        if (off === undefined) throw new Error(`no acknowledgement for ${k}`);
        next.set(k, off + 1n);
        return off.toString();
      });
    },
    close: async () => {
      await Promise.allSettled([producer.disconnect(), admin.disconnect()]);
    },
  };
}
