// The services' consumer groups, so the demo broker has real groups with real commits for
// the lag view. They only read: the simulator drives the saga.
import type { Consumer, Kafka } from "kafkajs";
import { TOPICS } from "./saga-events";

interface ServiceGroup {
  groupId: string;
  topics: string[];
  /** Time spent per record; 0 keeps up with the traffic. */
  perRecordMs: number;
  /** Fetch size cap, so a slow group holds only a few records at a time. */
  maxBytes?: number;
}

export const SERVICE_GROUPS: readonly ServiceGroup[] = [
  { groupId: "payment-service", topics: [TOPICS.orderCreated], perRecordMs: 0 },
  { groupId: "inventory-service", topics: [TOPICS.payments], perRecordMs: 0 },
  // Slow on purpose: 1 record/s against ≈2 terminal events/s, so its lag visibly grows.
  { groupId: "notification-service", topics: [TOPICS.completed, TOPICS.cancelled], perRecordMs: 1000, maxBytes: 2048 },
];

export interface ServiceConsumers {
  stop(): Promise<void>;
}

/** Joins every group; resolves once each consumer runs (the group join finishes in the background). */
export async function startServiceConsumers(kafka: Kafka): Promise<ServiceConsumers> {
  const consumers: Consumer[] = [];
  const stop = async () => {
    await Promise.allSettled(consumers.map((c) => c.disconnect()));
  };
  try {
    for (const g of SERVICE_GROUPS) {
      const consumer = kafka.consumer({
        groupId: g.groupId,
        allowAutoTopicCreation: false,
        maxWaitTimeInMs: 1000,
        ...(g.maxBytes ? { maxBytes: g.maxBytes, maxBytesPerPartition: g.maxBytes } : {}),
      });
      consumers.push(consumer);
      await consumer.connect();
      await consumer.subscribe({ topics: g.topics, fromBeginning: false });
      // kafkajs stops between records on disconnect, so a stop waits at most one perRecordMs.
      await consumer.run({
        eachMessage: async () => {
          if (g.perRecordMs > 0) await new Promise((r) => setTimeout(r, g.perRecordMs));
        },
      });
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { stop };
}
