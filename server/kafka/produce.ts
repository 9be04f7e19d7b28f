import "server-only";
// Producing records to explicit partitions, for replay. The partition is chosen here
// (Java-compatible murmur2 on the key, like the Kafka clients) before anything is sent, so
// the ledger knows where a record will land even if the process dies mid-send.
import { ConfigResourceTypes, Partitioners, type Producer, type Admin, type RetryOptions } from "kafkajs";
import { createKafka, type KafkaSettings } from "./client";

/**
 * The replay producer's retries, explicit: kafkajs gives an idempotent producer
 * Number.MAX_SAFE_INTEGER retries by default, so a send could still land any time later and
 * no staleness window would be safe. Exactly once comes from the ledger, not from endless retries.
 */
export const REPLAY_RETRY = { retries: 5, initialRetryTime: 300, maxRetryTime: 10_000, factor: 0.2, multiplier: 2 } satisfies RetryOptions;
/** One attempt at worst: connect (connectionTimeout 5 s), a metadata request and the produce request (requestTimeout 30 s each; see client.ts). */
const ATTEMPT_MS = 5_000 + 30_000 + 30_000;

/**
 * How long after a send starts the producer may still write it: every attempt at its worst
 * plus the waits between them at their longest (kafkajs: each wait ≤ the previous × (1 + factor)
 * × multiplier, capped at maxRetryTime; the first ≤ initialRetryTime × (1 + factor)).
 * With REPLAY_RETRY: 6 attempts × 65 s + waits 360 + 864 + 2,074 + 4,977 + 10,000 ms = 408,275 ms (6.8 min).
 */
export function replayRetryBudgetMs(retry = REPLAY_RETRY, attemptMs = ATTEMPT_MS): number {
  let wait = retry.initialRetryTime * (1 + retry.factor);
  let waits = 0;
  for (let i = 0; i < retry.retries; i++) {
    waits += Math.min(Math.ceil(wait), retry.maxRetryTime);
    wait = Math.min(wait * (1 + retry.factor) * retry.multiplier, retry.maxRetryTime);
  }
  return (retry.retries + 1) * attemptMs + waits;
}

/** Kafka's default message.max.bytes, used when a topic's max.message.bytes cannot be read. */
export const DEFAULT_MAX_MESSAGE_BYTES = 1_048_588;

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
  /** The topic's max.message.bytes (the broker default when it cannot be read). */
  maxMessageBytes(topic: string): Promise<number>;
  /** Sends in one request and returns each record's offset, in input order. Split first (produce-split.ts). */
  send(records: OutRecord[]): Promise<string[]>;
  close(): Promise<void>;
}

export async function createReplayProducer(settings: KafkaSettings): Promise<ReplayProducer> {
  const kafka = createKafka(settings, { clientId: `${settings.clientId}-replay` });
  const producer: Producer = kafka.producer({ allowAutoTopicCreation: false, idempotent: true, maxInFlightRequests: 1, retry: REPLAY_RETRY });
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
    maxMessageBytes: async (topic) => {
      try {
        const res = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ["max.message.bytes"] }] });
        const v = Number(res.resources[0]?.configEntries.find((e) => e.configName === "max.message.bytes")?.configValue);
        return Number.isInteger(v) && v > 0 ? v : DEFAULT_MAX_MESSAGE_BYTES;
      } catch {
        return DEFAULT_MAX_MESSAGE_BYTES;
      }
    },
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
