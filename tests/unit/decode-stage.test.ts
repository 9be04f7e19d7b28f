import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { defaultExtractConfig, extractRecord, parseFieldRules } from "../../server/extract";
import { avroEncoder, decoderFor, MemoryRegistry, record, wire } from "./decode-helpers";

const EVENT = {
  type: "record", name: "Envelope", namespace: "shop", fields: [
    { name: "event", type: { type: "record", name: "Event", fields: [
      { name: "eventId", type: "string" }, { name: "type", type: "string" }, { name: "correlationId", type: "string" },
      { name: "causationId", type: ["null", "string"] }, { name: "version", type: "int" },
    ] } },
    { name: "payload", type: { type: "record", name: "Payload", fields: [{ name: "order", type: { type: "record", name: "O", fields: [{ name: "ref", type: "string" }] } }] } },
  ],
};
const enc = avroEncoder(EVENT);
const body = enc.toBuffer({ event: { eventId: "e-1", type: "OrderPlaced", correlationId: "corr-avro", causationId: "e-0", version: 3 }, payload: { order: { ref: "R-7" } } });

function reg() {
  return new MemoryRegistry()
    .add(1, { schema: JSON.stringify(EVENT) }, { subject: "orders-value", version: 4 })
    .add(2, { schema: JSON.stringify({ type: "object", properties: { correlation_id: { type: "string" } } }), schemaType: "JSON" })
    .add(3, { schema: JSON.stringify({ type: "string" }) });
}

describe("the decode stage and extraction on decoded values", () => {
  test("Avro values: IDs found under event/payload as in JSON, stored as JSON text with the encoding", async () => {
    const raw = record(wire(1, body), { key: wire(3, avroEncoder({ type: "string" }).toBuffer("order-9")) });
    const [decoded] = await decoderFor(reg())([raw]);
    const out = extractRecord(raw, defaultExtractConfig(), decoded);
    assert.equal(out.correlationId, "corr-avro");
    assert.equal(out.eventId, "e-1");
    assert.equal(out.eventType, "OrderPlaced");
    assert.equal(out.causationId, "e-0");
    assert.equal(out.eventVersion, "3");
    assert.equal(out.key, "order-9");
    assert.equal(out.keyBinary, false);
    assert.equal(out.valueKind, "json");
    assert.deepEqual(JSON.parse(out.valueJson), { event: { eventId: "e-1", type: "OrderPlaced", correlationId: "corr-avro", causationId: "e-0", version: 3 }, payload: { order: { ref: "R-7" } } });
    assert.equal(out.size, raw.value!.length);
    assert.deepEqual(out.encoding, { format: "avro", schemaId: 1, subject: "orders-value", version: 4, key: { format: "avro", schemaId: 3 } });
    assert.equal(out.decodeError, null);
  });

  test("FLOWTAP_CORRELATION_RULES paths reach into decoded values", async () => {
    const raw = record(wire(1, body));
    const [decoded] = await decoderFor(reg())([raw]);
    const config = { ...defaultExtractConfig(), correlationRules: parseFieldRules("path:payload.order.ref") };
    assert.equal(extractRecord(raw, config, decoded).correlationId, "R-7");
  });

  test("JSON Schema values: JSON text after the prefix", async () => {
    const raw = record(wire(2, Buffer.from('{"correlation_id":"corr-json","n":1}')));
    const [decoded] = await decoderFor(reg())([raw]);
    const out = extractRecord(raw, defaultExtractConfig(), decoded);
    assert.equal(out.correlationId, "corr-json");
    assert.deepEqual(out.encoding, { format: "json-schema", schemaId: 2 });
  });

  test("values over the cap show a prefix of their JSON text, IDs still found in the whole value", async () => {
    const raw = record(wire(1, body));
    const [decoded] = await decoderFor(reg())([raw]);
    const out = extractRecord(raw, { ...defaultExtractConfig(), valueCapBytes: 40 }, decoded);
    assert.equal(out.valueTruncated, true);
    assert.equal(typeof JSON.parse(out.valueJson), "string");
    assert.ok(Buffer.byteLength(JSON.parse(out.valueJson) as string) <= 40);
    assert.equal(out.correlationId, "corr-avro");
  });

  test("plain values are untouched: no result, and extraction exactly as without the stage", async () => {
    const plain = record(Buffer.from('{"correlationId":"c-plain"}'));
    const binary = record(Buffer.from([1, 0, 0, 0, 1, 2]));
    const registry = reg();
    const out = await decoderFor(registry)([plain, binary, record(null)]);
    assert.deepEqual(out, [undefined, undefined, undefined]);
    assert.equal(registry.calls, 0);
    assert.deepEqual(extractRecord(plain, defaultExtractConfig(), out[0]), extractRecord(plain, defaultExtractConfig()));
  });

  test("unknown IDs and bytes that do not match: indexed as binary with the reason; asked once per retry interval", async () => {
    const registry = reg();
    const decode = decoderFor(registry);
    const unknown = record(wire(77, Buffer.from([1, 2, 3])));
    const garbage = record(wire(1, Buffer.from([0xff, 0xff, 0xff])));
    const [a, b] = await decode([unknown, garbage]);
    const outA = extractRecord(unknown, defaultExtractConfig(), a);
    assert.equal(outA.valueKind, "binary");
    assert.equal(outA.decodeError, "schema ID 77: not in the registry");
    assert.equal(outA.encoding, null);
    const outB = extractRecord(garbage, defaultExtractConfig(), b);
    assert.equal(outB.valueKind, "binary");
    assert.match(outB.decodeError!, /^schema ID 1: does not match its schema/);
    assert.deepEqual(outB.encoding, { format: "avro", schemaId: 1, subject: "orders-value", version: 4 });
    const calls = registry.calls;
    await decode([unknown, unknown]);
    assert.equal(registry.calls, calls, "a failed ID is not asked for again within the retry interval");
  });

  test("a registry that does not answer costs a batch at most the wait; once its request fails, nothing until the retry interval", async () => {
    const registry = reg();
    registry.delayMs = 5000;
    const decode = decoderFor(registry, 200);
    const raw = record(wire(1, body));
    let started = performance.now();
    const [slow] = await decode([raw]);
    assert.ok(performance.now() - started < 1000);
    assert.equal(extractRecord(raw, defaultExtractConfig(), slow).decodeError, "schema ID 1: the schema registry did not answer within 200 ms");
    // The request in flight is shared, not repeated: the next batch waits on the same one, again bounded.
    started = performance.now();
    await decode([raw]);
    assert.ok(performance.now() - started < 1000);
    assert.equal(registry.calls, 1);
  });

  test("a registry that comes back: the next interval decodes", async () => {
    const registry = reg();
    registry.down = true;
    const decode = decoderFor(registry, 500, 50);
    const raw = record(wire(1, body));
    const [first] = await decode([raw]);
    assert.match(first!.value!.ok ? "" : first!.value!.error, /ECONNREFUSED/);
    registry.down = false;
    await new Promise((r) => setTimeout(r, 60));
    const [second] = await decode([raw]);
    assert.equal(second?.value?.ok, true);
  });

  test("a key that only looks like wire format (a big-endian long) stays a plain binary key", async () => {
    const key = Buffer.alloc(8);
    key.writeBigInt64BE(2n ** 40n + 5n);
    const raw = record(Buffer.from("{}"), { key });
    const [decoded] = await decoderFor(reg())([raw]);
    const out = extractRecord(raw, defaultExtractConfig(), decoded);
    assert.equal(out.keyBinary, true);
    assert.equal(out.decodeError, null);
  });

  test("many records with one schema: the registry is asked once", async () => {
    const registry = reg();
    const decode = decoderFor(registry);
    const out = await decode(Array.from({ length: 500 }, () => record(wire(1, body))));
    assert.ok(out.every((d) => d?.value?.ok));
    assert.equal(registry.calls, 1);
  });
});
