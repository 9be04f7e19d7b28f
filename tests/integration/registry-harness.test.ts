// The Schema Registry the tests use is real: Apicurio Registry 2.4.2 built from Maven Central
// (scripts/lib/schema-registry.ts), speaking Confluent's API at /apis/ccompat/v7. Proves that it
// starts, registers and serves schemas by id; that the Java serializer (Apicurio's Kafka serdes
// in Confluent framing) produces records whose magic byte is 0 and whose 4-byte id the ccompat API
// resolves to the schema used, for Avro, Protobuf (a non-first message type of a file that
// imports a well-known type) and JSON Schema; and that a registry stops and restarts on its port.
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { KafkaMessage } from "kafkajs";
import { portOpen } from "../../scripts/lib/kafka-broker";
import { createTopics, kafka, tempDir, uniqueName, waitFor } from "./harness";
import {
  SAMPLE_AVRO_SCHEMA,
  SAMPLE_AVRO_VALUE,
  SAMPLE_JSON_SCHEMA,
  SAMPLE_JSON_VALUE,
  SAMPLE_PROTO,
  SAMPLE_PROTO_VALUE,
  ccompat,
  produceAllWithJavaSerde,
  registerSchema,
  registryUrl,
  schemaById,
  serializeWithJavaSerde,
  startTestRegistry,
  type ProducedRecord,
  type SchemaRegistry,
} from "./registry-lib";

const run = uniqueName("");

/** Reads every record of the topics from the beginning (with a group of its own). */
async function consumeAll(topics: string[], count: number): Promise<Map<string, KafkaMessage[]>> {
  const consumer = kafka().consumer({ groupId: `ft-registry-test-${run}` });
  const got = new Map<string, KafkaMessage[]>(topics.map((t) => [t, []]));
  let n = 0;
  await consumer.connect();
  try {
    await consumer.subscribe({ topics, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ topic, message }) => {
        got.get(topic)!.push(message);
        n++;
      },
    });
    await waitFor(`${count} records on ${topics.join(", ")}`, async () => n >= count, { timeoutMs: 60_000 });
  } finally {
    await consumer.disconnect();
  }
  return got;
}

/** Reads a protobuf varint at `pos`: [value, next position]. */
function varint(buf: Buffer, pos: number): [number, number] {
  let v = 0;
  let shift = 0;
  for (;;) {
    const b = buf[pos++]!;
    v += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) return [v, pos];
    shift += 7;
  }
}

describe("the run's Schema Registry (SCHEMA_REGISTRY_URL)", () => {
  test("registers an Avro schema through the ccompat API and serves it by id", async () => {
    const url = registryUrl();
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/apis\/ccompat\/v7$/);
    const subject = `ft-reg-${run}-value`;
    const id = await registerSchema(subject, SAMPLE_AVRO_SCHEMA);
    assert.ok(Number.isInteger(id) && id > 0, `id ${id}`);
    const byId = await schemaById(id);
    assert.deepEqual(JSON.parse(byId.schema), JSON.parse(SAMPLE_AVRO_SCHEMA));
    assert.equal(byId.schemaType ?? "AVRO", "AVRO");
    const version = await ccompat<{ id: number; subject: string; version: number; schema: string }>(
      `/subjects/${encodeURIComponent(subject)}/versions/latest`,
    );
    assert.deepEqual([version.id, version.subject, version.version], [id, subject, 1]);
    // Registering the same schema again answers the same id.
    assert.equal(await registerSchema(subject, SAMPLE_AVRO_SCHEMA), id);
    const unknown = await fetch(`${url}/schemas/ids/999999`);
    assert.equal(unknown.status, 404);
    await unknown.arrayBuffer();
  });
});

describe("the Java serializer (Apicurio serdes, Confluent framing)", () => {
  const avroTopic = `ft-reg-avro-${run}`;
  const protoTopic = `ft-reg-proto-${run}`;
  const jsonTopic = `ft-reg-json-${run}`;
  let produced: ProducedRecord[][] = [];

  test("produces Avro, Protobuf and JSON Schema records to Kafka", async () => {
    await createTopics([{ topic: avroTopic }, { topic: protoTopic }, { topic: jsonTopic }]);
    produced = await produceAllWithJavaSerde([
      {
        topic: avroTopic,
        key: { format: "avro", schema: JSON.stringify("string") },
        value: { format: "avro", schema: SAMPLE_AVRO_SCHEMA },
        records: [
          { key: "order-1001", value: SAMPLE_AVRO_VALUE, headers: { "x-service": "payments" } },
          { key: "order-1002", value: { ...SAMPLE_AVRO_VALUE, correlationId: "order-1002", note: null } },
        ],
      },
      {
        topic: protoTopic,
        value: { format: "protobuf", schema: SAMPLE_PROTO, messageType: "PaymentCompleted", fileName: "payments.proto" },
        records: [{ key: "order-1001", value: SAMPLE_PROTO_VALUE }],
      },
      {
        topic: jsonTopic,
        value: { format: "json-schema", schema: SAMPLE_JSON_SCHEMA },
        records: [{ key: "o-1001", value: SAMPLE_JSON_VALUE }],
      },
    ]);
    assert.deepEqual(produced.map((p) => p.length), [2, 1, 1]);

    const got = await consumeAll([avroTopic, protoTopic, jsonTopic], 4);
    const onKafka = [avroTopic, protoTopic, jsonTopic].map((t) => got.get(t)!);
    produced.forEach((records, i) =>
      records.forEach((r, j) => {
        const m = onKafka[i]![j]!;
        assert.ok(m.value && r.value && m.value.equals(r.value), `record ${i}/${j}: the bytes on Kafka are the bytes serialized`);
        assert.equal(m.offset, r.offset);
        // Confluent framing: no id headers; the spec's own header passes through.
        assert.deepEqual(Object.keys(m.headers ?? {}), i === 0 && j === 0 ? ["x-service"] : []);
      }),
    );
  });

  test("Avro: magic byte 0, a 4-byte id that resolves to the schema used, then Avro binary", async () => {
    const [first, second] = produced[0]!;
    for (const r of [first!, second!]) {
      assert.equal(r.value![0], 0);
      assert.equal(r.schemaId, first!.schemaId);
    }
    const byId = await schemaById(first!.schemaId!);
    assert.deepEqual(JSON.parse(byId.schema), JSON.parse(SAMPLE_AVRO_SCHEMA));
    const versions = await ccompat<Array<{ subject: string; version: number }>>(`/schemas/ids/${first!.schemaId}/versions`);
    assert.ok(versions.some((v) => v.subject === `${avroTopic}-value`), JSON.stringify(versions));
    // Avro binary: eventId (uuid string, 36 chars → zig-zag length 72 = 0x48) comes first.
    assert.equal(first!.value![5], 0x48);
    assert.equal(first!.value!.subarray(6, 42).toString("utf8"), SAMPLE_AVRO_VALUE.eventId);
    // The key went through the serializer too, under TOPIC-key.
    assert.equal(first!.key![0], 0);
    const keySchema = await schemaById(first!.keySchemaId!);
    assert.equal(JSON.parse(keySchema.schema), "string");
    assert.equal(first!.key!.subarray(6).toString("utf8"), "order-1001");
  });

  test("Protobuf: magic byte 0, the id, then Apicurio's Ref (the message name), not Confluent's message indexes", async () => {
    const r = produced[1]![0]!;
    assert.equal(r.value![0], 0);
    const byId = await schemaById(r.schemaId!);
    assert.equal(byId.schemaType, "PROTOBUF");
    // The registered text is the serializer's own rendering of the file (by Wire), with the same types.
    for (const needle of ["package flowtap.demo;", 'import "google/protobuf/timestamp.proto";', "message Envelope", "message PaymentCompleted", "message Amount", "message Refund", "enum Status"]) {
      assert.ok(byId.schema.includes(needle), `registered schema lacks ${needle}:\n${byId.schema}`);
    }
    assert.deepEqual(byId.references, [
      { name: "google/protobuf/timestamp.proto", subject: "google/protobuf/timestamp.proto", version: 1 },
    ]);
    const ref = await ccompat<{ schema: string }>(`/subjects/${encodeURIComponent("google/protobuf/timestamp.proto")}/versions/1`);
    assert.match(ref.schema, /message Timestamp/);
    // After the id: varint length L, then Ref { string name = 1 } = 0x0a, len, "PaymentCompleted".
    const [len, at] = varint(r.value!, 5);
    const refBytes = r.value!.subarray(at, at + len);
    assert.equal(refBytes[0], 0x0a);
    assert.equal(refBytes.subarray(2, 2 + refBytes[1]!).toString("utf8"), "PaymentCompleted");
    assert.equal(len, 2 + "PaymentCompleted".length);
    // Then the message itself: field 1 (payment_id) first.
    const msg = r.value!.subarray(at + len);
    assert.equal(msg[0], 0x0a);
    assert.equal(msg.subarray(2, 2 + msg[1]!).toString("utf8"), SAMPLE_PROTO_VALUE.paymentId);
  });

  test("JSON Schema: magic byte 0, the id of the schema used, then the JSON text", async () => {
    const r = produced[2]![0]!;
    assert.equal(r.value![0], 0);
    const byId = await schemaById(r.schemaId!);
    assert.equal(byId.schemaType, "JSON");
    assert.deepEqual(JSON.parse(byId.schema), JSON.parse(SAMPLE_JSON_SCHEMA));
    assert.deepEqual(JSON.parse(r.value!.subarray(5).toString("utf8")), SAMPLE_JSON_VALUE);
  });

  test("serialize mode: the same bytes without Kafka; a record that breaks the JSON schema is refused", async () => {
    const [r] = await serializeWithJavaSerde({
      topic: avroTopic,
      value: { format: "avro", schema: SAMPLE_AVRO_SCHEMA },
      records: [{ value: SAMPLE_AVRO_VALUE }],
    });
    assert.equal(r!.partition, undefined);
    assert.ok(r!.value!.equals(produced[0]![0]!.value!));
    await assert.rejects(
      serializeWithJavaSerde({ topic: jsonTopic, value: { format: "json-schema", schema: SAMPLE_JSON_SCHEMA }, records: [{ value: { total: "x" } }] }),
      /schema violation|ValidationException/,
    );
  });
});

describe("a registry of the test's own", () => {
  const started: SchemaRegistry[] = [];
  after(async () => {
    for (const r of started) await r.stop();
  });

  test("stops (its port closes, calls fail) and restarts on the same port; in memory it starts empty", async () => {
    const first = await startTestRegistry();
    started.push(first);
    assert.ok(first.pid > 0);
    const id = await registerSchema("stop-me-value", SAMPLE_AVRO_SCHEMA, "AVRO", first.url);
    assert.equal((await schemaById(id, first.url)).schema.length > 0, true);
    await first.stop();
    await first.stop(); // twice is harmless
    assert.equal(await portOpen(first.port), false);
    await assert.rejects(fetch(`${first.url}/subjects`, { signal: AbortSignal.timeout(2000) }));

    const second = await startTestRegistry({ port: first.port });
    started.push(second);
    assert.equal(second.port, first.port);
    assert.equal(second.url, first.url);
    assert.deepEqual(await ccompat<string[]>("/subjects", {}, second.url), []);
    await assert.rejects(schemaById(id, second.url), /HTTP 404/);
    await second.stop();
  });

  test("with a data folder, schemas and their ids survive a restart", async () => {
    const dataDir = tempDir("registry-data-");
    const first = await startTestRegistry({ dataDir });
    started.push(first);
    const id = await registerSchema("keep-me-value", SAMPLE_AVRO_SCHEMA, "AVRO", first.url);
    await first.stop();
    const second = await startTestRegistry({ dataDir, port: first.port });
    started.push(second);
    assert.deepEqual(JSON.parse((await schemaById(id, second.url)).schema), JSON.parse(SAMPLE_AVRO_SCHEMA));
    assert.deepEqual(await ccompat<string[]>("/subjects", {}, second.url), ["keep-me-value"]);
    await second.stop();
  });

  test("a port in use is refused with a clear error", async () => {
    const reg = await startTestRegistry();
    started.push(reg);
    await assert.rejects(startTestRegistry({ port: reg.port }), /already in use/);
    await reg.stop();
  });
});
