// Avro beside JSON for the tap's rate (issue #11): the same N events, once as JSON and once as
// Confluent wire-format Avro (schema registered in a real Apicurio registry, encoded with avsc),
// each on its own 3-partition topic. Both runs decode through the registry-enabled tap, so the
// difference is the decode stage alone.
import type { Kafka } from "kafkajs";
import avro from "avsc";
import type { BenchData } from "./bench-data";

export const AVRO_TOPICS = { json: "benchavro.json", avro: "benchavro.avro" } as const;
const PARTITIONS = 3;
const FLOW = 5;

const SCHEMA = {
  type: "record",
  name: "OrderEvent",
  namespace: "bench",
  fields: [
    { name: "eventId", type: "string" },
    { name: "type", type: "string" },
    { name: "correlationId", type: "string" },
    { name: "order_id", type: "long" },
    { name: "amount", type: { type: "bytes", logicalType: "decimal", precision: 10, scale: 2 } },
    { name: "created_at", type: { type: "long", logicalType: "timestamp-millis" } },
    { name: "note", type: "string" },
  ],
};

// Sized so an Avro record is ≈ 500 bytes; the JSON form of the same event is a little longer.
const FILLER = "x".repeat(430);

function event(i: number) {
  const flow = Math.floor(i / FLOW);
  return {
    eventId: `ev-${i}`,
    type: `Step${i % FLOW}`,
    correlationId: `avro-${flow.toString(16).padStart(8, "0")}`,
    order_id: flow,
    created_at: 1_764_000_000_000 + i,
    note: FILLER,
  };
}

async function register(registryUrl: string, subject: string): Promise<number> {
  const res = await fetch(`${registryUrl}/subjects/${encodeURIComponent(subject)}/versions`, {
    method: "POST",
    headers: { "content-type": "application/vnd.schemaregistry.v1+json" },
    body: JSON.stringify({ schema: JSON.stringify(SCHEMA) }),
  });
  const body = (await res.json()) as { id?: number };
  if (!res.ok || typeof body.id !== "number") throw new Error(`registering the bench schema: ${res.status} ${JSON.stringify(body)}`);
  return body.id;
}

/** Writes N events to each topic; returns the two data sets, JSON first. */
export async function produceAvroBench(kafka: Kafka, registryUrl: string, total: number, log: (s: string) => void): Promise<{ json: BenchData; avro: BenchData; avroBytes: number; jsonBytes: number }> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: Object.values(AVRO_TOPICS).map((topic) => ({ topic, numPartitions: PARTITIONS })), waitForLeaders: true });
  await admin.disconnect();
  const id = await register(registryUrl, `${AVRO_TOPICS.avro}-value`);
  const type = avro.Type.forSchema(SCHEMA as avro.Schema);
  const prefix = Buffer.alloc(5);
  prefix.writeUInt32BE(id, 1);
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  let avroBytes = 0;
  let jsonBytes = 0;
  const CHUNK = 20_000;
  for (let from = 0; from < total; from += CHUNK) {
    const json = [];
    const bin = [];
    for (let i = from; i < Math.min(total, from + CHUNK); i++) {
      const e = event(i);
      const key = `order-${e.order_id}`;
      const value = Buffer.concat([prefix, type.toBuffer({ ...e, amount: Buffer.from([0x30, 0x39]) })]);
      const text = JSON.stringify({ ...e, amount: "123.45", created_at: new Date(e.created_at).toISOString() });
      avroBytes += value.length;
      jsonBytes += text.length;
      bin.push({ key, value });
      json.push({ key, value: text });
    }
    await producer.sendBatch({ topicMessages: [{ topic: AVRO_TOPICS.json, messages: json }, { topic: AVRO_TOPICS.avro, messages: bin }], acks: 1 });
  }
  await producer.disconnect();
  log(`avro bench: ${total.toLocaleString()} events each as JSON (${Math.round(jsonBytes / total)} B) and Avro (${Math.round(avroBytes / total)} B), schema id ${id}`);
  const data = (topic: string): BenchData => ({ topics: [topic], total, flows: Math.ceil(total / FLOW), sampleIds: [], sampleEventIds: [] });
  return { json: data(AVRO_TOPICS.json), avro: data(AVRO_TOPICS.avro), avroBytes: avroBytes / total, jsonBytes: jsonBytes / total };
}
