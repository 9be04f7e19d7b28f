import "server-only";
// A consumer-group loop that hands whole partition batches to a handler and commits a
// batch's offsets only after the handler has resolved. If the handler throws, nothing is
// committed and the batch is read again.
import type { Consumer, KafkaMessage } from "kafkajs";
import type { RawRecord } from "../extract/types";
import { createKafka, type KafkaSettings } from "./client";

/** How long stop() waits for a clean leave of the group; past it, the broker is presumed gone. */
const STOP_DEADLINE_MS = 10_000;

export interface PartitionBatch {
  topic: string;
  partition: number;
  records: RawRecord[];
  /** The partition's high watermark when the batch was fetched (decimal string). */
  highWatermark: string;
  heartbeat(): Promise<void>;
  /** False once the consumer is stopping, or the partition was revoked/seeked: stop work, do not commit. */
  isActive(): boolean;
}

export interface BatchConsumerOptions {
  groupId: string;
  topics: string[];
  fromBeginning: boolean;
  handle(batch: PartitionBatch): Promise<void>;
  onAssignment?(partitions: Array<{ topic: string; partition: number }>): void;
  onCrash?(error: Error): void;
  /** Upper bound on bytes fetched per request: bounds memory under a backlog. */
  maxBytes?: number;
  /** Upper bound on bytes fetched per partition and request. */
  maxBytesPerPartition?: number;
  /** Partition batches handled at once. */
  concurrency?: number;
}

export interface BatchConsumer {
  stop(): Promise<void>;
}

/** A kafkajs message as the extractor's plain record; the one conversion, shared with read-records.ts. */
export function toRawRecord(topic: string, partition: number, m: KafkaMessage): RawRecord {
  return {
    topic,
    partition,
    offset: m.offset,
    timestamp: m.timestamp,
    key: m.key ?? null,
    headers: (m.headers ?? {}) as RawRecord["headers"],
    value: m.value ?? null,
  };
}

export async function startBatchConsumer(settings: KafkaSettings, opts: BatchConsumerOptions): Promise<BatchConsumer> {
  const kafka = createKafka(settings, { clientId: `${settings.clientId}-tap` });
  let running = true;
  const consumer: Consumer = kafka.consumer({
    groupId: opts.groupId,
    // An inspector must never create topics by looking at them.
    allowAutoTopicCreation: false,
    maxBytes: opts.maxBytes ?? 8 * 1024 * 1024,
    maxBytesPerPartition: opts.maxBytesPerPartition ?? 1024 * 1024,
    // A short long-poll lets stop() and topic re-subscription finish within a second.
    maxWaitTimeInMs: 1_000,
    sessionTimeout: 30_000,
    heartbeatInterval: 3_000,
    // kafkajs restarts a crashed consumer (broker gone) on its own; once stopped, it must not.
    retry: { retries: 10, initialRetryTime: 300, maxRetryTime: 10_000, restartOnFailure: async () => running },
  });
  if (opts.onAssignment) {
    const notify = opts.onAssignment;
    // While the group rebalances this member owns nothing it can commit: say so until the next join.
    consumer.on(consumer.events.REBALANCING, () => notify([]));
    consumer.on(consumer.events.GROUP_JOIN, (e) => {
      const assigned = Object.entries(e.payload.memberAssignment).flatMap(([topic, parts]) =>
        parts.map((partition) => ({ topic, partition })),
      );
      notify(assigned);
    });
  }
  if (opts.onCrash) {
    const crash = opts.onCrash;
    consumer.on(consumer.events.CRASH, (e) => crash(e.payload.error));
  }
  await consumer.connect();
  await consumer.subscribe({ topics: opts.topics, fromBeginning: opts.fromBeginning });
  await consumer.run({
    // While one partition's batch is being written, the next is extracted: the store and
    // this process work in parallel. Each partition still has one batch in flight at most.
    partitionsConsumedConcurrently: opts.concurrency ?? 3,
    autoCommit: false,
    eachBatchAutoResolve: false,
    eachBatch: async (payload) => {
      const { batch } = payload;
      if (batch.messages.length === 0) return;
      await opts.handle({
        topic: batch.topic,
        partition: batch.partition,
        records: batch.messages.map((m) => toRawRecord(batch.topic, batch.partition, m)),
        highWatermark: batch.highWatermark,
        heartbeat: payload.heartbeat,
        isActive: () => running && payload.isRunning() && !payload.isStale(),
      });
      const last = batch.lastOffset();
      payload.resolveOffset(last);
      await payload.commitOffsetsIfNecessary({
        topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset: (BigInt(last) + 1n).toString() }] }],
      });
    },
  });
  return {
    stop: async () => {
      running = false;
      // With the broker gone kafkajs may sit in its restart loop: do not wait for it forever.
      let timer: NodeJS.Timeout | undefined;
      const giveUp = new Promise<void>((resolve) => (timer = setTimeout(resolve, STOP_DEADLINE_MS)));
      await Promise.race([consumer.disconnect().catch(() => {}), giveUp]);
      clearTimeout(timer);
    },
  };
}
