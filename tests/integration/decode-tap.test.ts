// The tap with a real Schema Registry (Apicurio 2.4.2, scripts/lib/schema-registry.ts): records
// in Confluent's wire format, written by avsc (Flowtap's own decoder library, registering the
// schema over the ccompat API) and by a Java service's serializer (Apicurio's serdes, both its
// Confluent framing and its own header mode), are indexed by the correlation IDs inside their
// Avro payloads. A record naming an unknown schema is indexed as binary with the reason.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { sql } from "drizzle-orm";
import { openStore, type Store } from "../../server/db/client";
import { startTap, type Tap } from "../../server/tap/tap";
import { runJavaSerde, startRegistry, type SchemaRegistry } from "../../scripts/lib/schema-registry";
import { avroEncoder, wire } from "../unit/decode-helpers";
import { brokers, createTopics, freshDatabase, produce, tempDir, testConfig, uniqueName, waitFor } from "./harness";

const run = uniqueName("");
const jsTopic = `ft-avro-js-${run}`;
const javaTopic = `ft-avro-java-${run}`;
const headerTopic = `ft-avro-hdr-${run}`;
const protoTopic = `ft-avro-proto-${run}`;
const PROTO = `syntax = "proto3";
package shop;
message OrderPlaced { string correlation_id = 1; }
message OrderShipped { string correlation_id = 1; int64 parcels = 2; Carrier carrier = 3; enum Carrier { UPS = 0; DHL = 1; } }`;

const ORDER = {
  type: "record", name: "OrderPlaced", namespace: "shop", fields: [
    { name: "correlationId", type: "string" },
    { name: "eventType", type: "string" },
    { name: "amount", type: { type: "bytes", logicalType: "decimal", precision: 10, scale: 2 } },
    { name: "at", type: { type: "long", logicalType: "timestamp-millis" } },
  ],
};
const JAVA = {
  type: "record", name: "PaymentTaken", namespace: "pay", fields: [
    { name: "correlationId", type: "string" }, { name: "eventType", type: "string" }, { name: "cents", type: "long" },
  ],
};

async function register(registry: SchemaRegistry, subject: string, schema: unknown): Promise<number> {
  const res = await fetch(`${registry.url}/subjects/${encodeURIComponent(subject)}/versions`, {
    method: "POST",
    headers: { "content-type": "application/vnd.schemaregistry.v1+json" },
    body: JSON.stringify({ schema: JSON.stringify(schema) }),
  });
  assert.equal(res.status, 200, await res.clone().text());
  return ((await res.json()) as { id: number }).id;
}

describe("tap with a Schema Registry", () => {
  let registry: SchemaRegistry;
  let store: Store;
  let tap: Tap | null = null;
  let orderId = 0;
  let laterId = 0;

  before(async () => {
    registry = await startRegistry({ log: (l) => console.log(`[registry] ${l}`) });
    await createTopics([{ topic: jsTopic }, { topic: javaTopic }, { topic: headerTopic }, { topic: protoTopic }]);
    const id = (orderId = await register(registry, `${jsTopic}-value`, ORDER));
    // Registered now, first used after the registry is stopped: never in the tap's cache.
    laterId = await register(registry, `${jsTopic}-later`, { ...ORDER, name: "OrderLater" });
    const enc = avroEncoder(ORDER);
    await produce(jsTopic, [
      ...Array.from({ length: 20 }, (_, i) => ({
        key: `order-${i}`,
        value: wire(id, enc.toBuffer({ correlationId: `avro-${run}-${i % 4}`, eventType: "OrderPlaced", amount: Buffer.from([0x30, 0x39]), at: 1777110759000n })),
      })),
      { key: "unknown", value: wire(987654, Buffer.from([2, 0x61])), headers: { "x-correlation-id": `unknown-${run}` } },
      { key: "plain", value: JSON.stringify({ correlationId: `plain-${run}` }) },
    ]);
    const side = { format: "avro" as const, schema: JSON.stringify(JAVA) };
    const records = [{ value: { correlationId: `java-${run}`, eventType: "PaymentTaken", cents: 1999 } }];
    await runJavaSerde([
      { registryUrl: registry.url, bootstrapServers: brokers(), topic: javaTopic, value: side, records },
      { registryUrl: registry.url, bootstrapServers: brokers(), topic: headerTopic, value: side, apicurioHeaders: true, idOption: "globalId",
        records: [{ value: { correlationId: `java-hdr-${run}`, eventType: "PaymentTaken", cents: 5 } }] },
      // Protobuf: the second message type of a file with two.
      { registryUrl: registry.url, bootstrapServers: brokers(), topic: protoTopic, value: { format: "protobuf", schema: PROTO, messageType: "OrderShipped" },
        records: [{ value: { correlation_id: `proto-${run}`, parcels: "2", carrier: "DHL" } }] },
      { registryUrl: registry.url, bootstrapServers: brokers(), topic: protoTopic, value: { format: "protobuf", schema: PROTO, messageType: "OrderShipped" }, apicurioHeaders: true,
        records: [{ value: { correlation_id: `proto-hdr-${run}`, parcels: "3" } }] },
    ], (l) => console.log(`[serde] ${l}`));

    const config = testConfig({
      DATABASE_URL: await freshDatabase(),
      FLOWTAP_DATA_DIR: tempDir(),
      FLOWTAP_TOPICS_INCLUDE: `^ft-avro-(js|java|hdr|proto)-${run}$`,
      FLOWTAP_TAP_GROUP: uniqueName("ft-decode-"),
      SCHEMA_REGISTRY_URL: registry.url,
    });
    store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    tap = await startTap(config, store, () => {});
  });

  after(async () => {
    await tap?.stop();
    await store?.close();
    await registry?.stop();
  });

  const rows = (topic: string) =>
    store.rows<{ key: string; correlation_id: string | null; event_type: string | null; value_kind: string; value: unknown; encoding: Record<string, unknown> | null; decode_error: string | null }>(
      sql`SELECT key, correlation_id, event_type, value_kind, value, encoding, decode_error FROM events WHERE topic = ${topic} ORDER BY "offset"`,
    );

  test("Avro written by avsc: correlation IDs from inside the payload, decoded value and encoding stored", async () => {
    const got = await waitFor("22 records indexed", async () => ((await rows(jsTopic)).length === 22 ? rows(jsTopic) : null));
    const avro = got.filter((r) => r.key.startsWith("order-"));
    assert.deepEqual([...new Set(avro.map((r) => r.correlation_id))].sort(), [0, 1, 2, 3].map((i) => `avro-${run}-${i}`));
    assert.ok(avro.every((r) => r.event_type === "OrderPlaced" && r.value_kind === "json" && r.decode_error === null));
    assert.deepEqual(avro[0]!.value, { correlationId: `avro-${run}-0`, eventType: "OrderPlaced", amount: "123.45", at: "2026-04-25T09:52:39.000Z" });
    assert.equal(avro[0]!.encoding?.format, "avro");
    assert.equal(avro[0]!.encoding?.subject, `${jsTopic}-value`);

    const unknown = got.find((r) => r.key === "unknown")!;
    assert.equal(unknown.value_kind, "binary");
    assert.equal(unknown.correlation_id, `unknown-${run}`);
    assert.match(unknown.decode_error ?? "", /schema ID 987654: not in the registry/);

    const plain = got.find((r) => r.key === "plain")!;
    assert.equal(plain.correlation_id, `plain-${run}`);
    assert.equal(plain.encoding, null);
    assert.deepEqual(tap!.registry()?.map((s) => s.ok), [true]);
  });

  test("Avro written by a Java service's serializer (Apicurio serdes, Confluent framing)", async () => {
    const [r] = await waitFor("the Java record", async () => ((await rows(javaTopic)).length > 0 ? rows(javaTopic) : null));
    assert.equal(r!.decode_error, null);
    assert.equal(r!.correlation_id, `java-${run}`);
    assert.deepEqual(r!.value, { correlationId: `java-${run}`, eventType: "PaymentTaken", cents: 1999 });
  });

  test("Protobuf written by a Java service's serializer: a non-first message type, Confluent framing and header mode", async () => {
    const [r, h] = await waitFor("the Protobuf records", async () => ((await rows(protoTopic)).length === 2 ? rows(protoTopic) : null));
    assert.equal(r!.decode_error, null);
    assert.equal(r!.correlation_id, `proto-${run}`);
    assert.deepEqual(r!.value, { correlation_id: `proto-${run}`, parcels: 2, carrier: "DHL" });
    assert.equal(r!.encoding?.messageType, "shop.OrderShipped");
    assert.equal(h!.decode_error, null);
    assert.equal(h!.correlation_id, `proto-hdr-${run}`);
    assert.equal(h!.encoding?.idSource, "apicurio-content-id");
  });

  test("Avro with Apicurio's own headers (globalId, no magic byte)", async () => {
    const [r] = await waitFor("the header-mode record", async () => ((await rows(headerTopic)).length > 0 ? rows(headerTopic) : null));
    assert.equal(r!.decode_error, null);
    assert.equal(r!.correlation_id, `java-hdr-${run}`);
    assert.equal(r!.encoding?.idSource, "apicurio-global-id");
  });

  test("a registry stopped mid-run: cached schemas still decode, new ones are indexed as binary with why, the state says so", async () => {
    await registry.stop();
    const enc = avroEncoder(ORDER);
    const value = (cid: string) => enc.toBuffer({ correlationId: cid, eventType: "OrderPlaced", amount: Buffer.from([1]), at: 0n });
    await produce(jsTopic, [
      { key: "cached", value: wire(orderId, value(`cached-${run}`)) },
      { key: "later", value: wire(laterId, value(`later-${run}`)), headers: { "x-correlation-id": `later-hdr-${run}` } },
    ]);
    const got = await waitFor("both records", async () => {
      const r = (await rows(jsTopic)).filter((x) => x.key === "cached" || x.key === "later");
      return r.length === 2 ? r : null;
    });
    const cached = got.find((r) => r.key === "cached")!;
    assert.equal(cached.correlation_id, `cached-${run}`);
    assert.equal(cached.decode_error, null);
    const later = got.find((r) => r.key === "later")!;
    assert.equal(later.value_kind, "binary");
    assert.equal(later.correlation_id, `later-hdr-${run}`);
    assert.match(later.decode_error ?? "", new RegExp(`schema ID ${laterId}: .*(ECONNREFUSED|unavailable|no answer)`));
    const [state] = tap!.registry()!;
    assert.equal(state!.ok, false);
    assert.ok(state!.lastError);
  });
});
