// Benchmark traffic: N JSON records of about 500 bytes over T topics × P partitions,
// in flows of FLOW_SIZE events spread across the topics, the way a saga's events are.
import type { Kafka } from "kafkajs";

export const FLOW_SIZE = 10;

export interface BenchData {
  topics: string[];
  total: number;
  flows: number;
  /** Correlation ids to look up, spread over the whole range. */
  sampleIds: string[];
  sampleEventIds: string[];
}

export function benchTopics(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}.svc${i}.events`);
}

const FILLER = "x".repeat(300);

function record(i: number, topicsCount: number) {
  const flow = Math.floor(i / FLOW_SIZE);
  const cid = `bench-${flow.toString(16).padStart(8, "0")}`;
  const value = JSON.stringify({
    eventId: `ev-${i}`,
    type: `Step${i % FLOW_SIZE}`,
    // Half the producers put the correlation in the payload, half in a header.
    ...(i % 2 ? { correlationId: cid } : {}),
    order_id: flow,
    created_at: "2026-11-23T09:52:39Z",
    note: FILLER,
  });
  return {
    topic: (flow + (i % FLOW_SIZE)) % topicsCount,
    message: { key: `order-${flow}`, value, headers: i % 2 ? { "x-service": `svc${i % 7}` } : { "x-correlation-id": cid } },
  };
}

/** Produces the whole data set; resolves with what was sent. */
export async function produceBenchData(kafka: Kafka, topics: string[], total: number, log: (s: string) => void): Promise<BenchData> {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const CHUNK = 20_000;
  const started = Date.now();
  for (let from = 0; from < total; from += CHUNK) {
    const byTopic = new Map<number, Array<ReturnType<typeof record>["message"]>>();
    for (let i = from; i < Math.min(total, from + CHUNK); i++) {
      const r = record(i, topics.length);
      const list = byTopic.get(r.topic) ?? [];
      list.push(r.message);
      byTopic.set(r.topic, list);
    }
    await producer.sendBatch({ topicMessages: [...byTopic].map(([t, messages]) => ({ topic: topics[t]!, messages })), acks: 1 });
    if ((from / CHUNK) % 10 === 0) log(`produced ${Math.min(total, from + CHUNK).toLocaleString()} / ${total.toLocaleString()}`);
  }
  await producer.disconnect();
  log(`produced ${total.toLocaleString()} records in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const flows = Math.ceil(total / FLOW_SIZE);
  const picks = Array.from({ length: 200 }, (_, k) => Math.floor(((k + 0.5) / 200) * flows));
  return {
    topics,
    total,
    flows,
    sampleIds: picks.map((f) => `bench-${f.toString(16).padStart(8, "0")}`),
    sampleEventIds: picks.map((f) => `ev-${f * FLOW_SIZE + 3}`),
  };
}
