import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import protobuf from "protobufjs";
import { sanitizeText } from "../../server/extract/sanitize";
import { decoderFor, MemoryRegistry, record, wire } from "./decode-helpers";

const MONEY = `syntax = "proto3";
package shop.common;
message Money { string currency = 1; int64 units = 2; int32 nanos = 3; }`;

// Several top-level messages, an enum between them (enums do not count in the indexes), nested
// types, well-known types and an import served as a schema reference.
const ORDERS = `syntax = "proto3";
package shop;
import "google/protobuf/timestamp.proto";
import "google/protobuf/duration.proto";
import "google/protobuf/wrappers.proto";
import "google/protobuf/struct.proto";
import "google/protobuf/any.proto";
import "shop/common/money.proto";

message OrderPlaced {
  string correlation_id = 1;
  string order_id = 2;
  shop.common.Money total = 3;
  google.protobuf.Timestamp placed_at = 4;
}
enum Status { STATUS_UNKNOWN = 0; STATUS_PAID = 1; STATUS_SHIPPED = 2; }
message OrderShipped {
  string correlation_id = 1;
  Status status = 2;
  int64 big = 3;
  uint64 ubig = 4;
  bytes label = 5;
  repeated Line lines = 6;
  map<string, string> meta = 7;
  google.protobuf.Duration took = 8;
  google.protobuf.StringValue note = 9;
  google.protobuf.Struct extra = 10;
  google.protobuf.Any detail = 11;
  oneof carrier { string ups = 12; string dhl = 13; }
  message Line { string sku = 1; sint32 qty = 2; }
  message Parcel { string id = 1; }
  message Label { string zpl = 1; double weight = 2; }
}
`;

function registry(): MemoryRegistry {
  return new MemoryRegistry()
    .add(30, { schema: MONEY, schemaType: "PROTOBUF" }, { subject: "money", version: 2 })
    .add(31, { schema: ORDERS, schemaType: "PROTOBUF", references: [{ name: "shop/common/money.proto", subject: "money", version: 2 }] }, { subject: "orders-value", version: 1 });
}

/** The producer's side: protobufjs with the same .proto files. */
function producerRoot(): protobuf.Root {
  const root = new protobuf.Root();
  protobuf.parse(ORDERS, root, { keepCase: true });
  protobuf.parse(MONEY, root, { keepCase: true });
  for (const f of ["timestamp", "duration", "wrappers", "struct", "any"]) root.addJSON(protobuf.common.get(`google/protobuf/${f}.proto`)!.nested!);
  root.resolveAll();
  return root;
}

const root = producerRoot();
const encode = (name: string, obj: Record<string, unknown>) => {
  const t = root.lookupType(name);
  return t.encode(t.fromObject(obj)).finish();
};

describe("Protobuf decoding with the writer's schema", () => {
  test("the first message type, by the single 0 shorthand and by [0] in full", async () => {
    const body = encode("shop.OrderPlaced", { correlation_id: "c-1", order_id: "o-1", total: { currency: "EUR", units: 12, nanos: 500000000 }, placed_at: { seconds: 1777110759, nanos: 120000000 } });
    const full = Buffer.concat([Buffer.from([0, 0, 0, 0, 31, 2, 0]), body]);
    const out = await decoderFor(registry())([record(wire(31, body, [0])), record(full)]);
    const expected = {
      ok: true,
      value: { correlation_id: "c-1", order_id: "o-1", total: { currency: "EUR", units: 12, nanos: 500000000 }, placed_at: "2026-04-25T09:52:39.12Z" },
      encoding: { format: "protobuf", schemaId: 31, subject: "orders-value", version: 1, messageType: "shop.OrderPlaced" },
    };
    assert.deepEqual(out[0]?.value, expected);
    assert.deepEqual(out[1]?.value, expected);
  });

  test("a non-first message type, with enums, 64-bit integers, bytes, maps, oneofs and well-known types", async () => {
    const detail = encode("shop.OrderShipped.Parcel", { id: "p-9" });
    const body = encode("shop.OrderShipped", {
      correlation_id: "c-2", status: "STATUS_SHIPPED", big: "-9223372036854775808", ubig: "18446744073709551615", label: Buffer.from("zpl"),
      lines: [{ sku: "a", qty: -3 }], meta: { k: "v" }, took: { seconds: 3, nanos: 500000000 }, note: { value: "fragile" },
      // protobufjs's bundled well-known types use camelCase field names.
      extra: { fields: { n: { numberValue: 1.5 }, s: { stringValue: "x" }, l: { listValue: { values: [{ boolValue: true }, { nullValue: 0 }] } } } },
      detail: { type_url: "type.googleapis.com/shop.OrderShipped.Parcel", value: detail }, dhl: "JD01",
    });
    const [out] = await decoderFor(registry())([record(wire(31, body, [1]))]);
    assert.deepEqual(out?.value, {
      ok: true,
      value: {
        correlation_id: "c-2", status: "STATUS_SHIPPED", big: "-9223372036854775808", ubig: "18446744073709551615", label: "enBs",
        lines: [{ sku: "a", qty: -3 }], meta: { k: "v" }, took: "3.5s", note: "fragile",
        extra: { n: 1.5, s: "x", l: [true, null] },
        detail: { "@type": "type.googleapis.com/shop.OrderShipped.Parcel", id: "p-9" }, dhl: "JD01",
      },
      encoding: { format: "protobuf", schemaId: 31, subject: "orders-value", version: 1, messageType: "shop.OrderShipped" },
    });
  });

  test("nested types: [1, 2] is the third message nested in the second", async () => {
    const body = encode("shop.OrderShipped.Label", { zpl: "^XA", weight: 1.25 });
    const [out] = await decoderFor(registry())([record(wire(31, body, [1, 2]))]);
    assert.equal(out?.value?.ok, true);
    assert.deepEqual(out!.value!.ok && out!.value!.value, { zpl: "^XA", weight: 1.25 });
    assert.equal(out!.value!.encoding?.messageType, "shop.OrderShipped.Label");
  });

  test("indexes naming no message type, and an unknown import, are decode errors", async () => {
    const reg = registry().add(32, { schema: `syntax = "proto3"; import "nowhere.proto"; message X { Y y = 1; }`, schemaType: "PROTOBUF" });
    const out = await decoderFor(reg)([record(wire(31, Buffer.from([8, 1]), [5])), record(wire(31, Buffer.from([8, 1]), [0, 0])), record(wire(32, Buffer.from([]), [0]))]);
    assert.match(out[0]!.value!.ok ? "" : out[0]!.value!.error, /message index 5 names no message type/);
    assert.match(out[1]!.value!.ok ? "" : out[1]!.value!.error, /message index 0,0 names no message type/);
    assert.match(out[2]!.value!.ok ? "" : out[2]!.value!.error, /schema ID 32: .*nowhere\.proto/);
  });

  test("round trip: what protobufjs encodes decodes back, for generated values", async () => {
    const decode = decoderFor(registry());
    const text = fc.string().map(sanitizeText);
    await fc.assert(fc.asyncProperty(
      fc.record({
        correlation_id: text, big: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), label: fc.uint8Array({ maxLength: 16 }),
        lines: fc.array(fc.record({ sku: text, qty: fc.integer() }), { maxLength: 4 }),
        status: fc.constantFrom("STATUS_UNKNOWN", "STATUS_PAID", "STATUS_SHIPPED"),
      }),
      async (v) => {
        const body = encode("shop.OrderShipped", { ...v, big: v.big.toString(), label: Buffer.from(v.label) });
        const [out] = await decode([record(wire(31, body, [1]))]);
        assert.ok(out?.value?.ok, JSON.stringify(out));
        const safe = v.big >= BigInt(Number.MIN_SAFE_INTEGER) && v.big <= BigInt(Number.MAX_SAFE_INTEGER);
        // proto3 leaves default values off the wire, as the JSON mapping leaves them out.
        const expected: Record<string, unknown> = {
          correlation_id: v.correlation_id, status: v.status, big: safe ? Number(v.big) : v.big.toString(),
          label: Buffer.from(v.label).toString("base64"), lines: v.lines.map((l) => ({ ...(l.sku ? { sku: l.sku } : {}), ...(l.qty ? { qty: l.qty } : {}) })),
        };
        for (const k of Object.keys(expected)) {
          const x = expected[k];
          if (x === "" || x === 0 || x === "STATUS_UNKNOWN" || (Array.isArray(x) && x.length === 0)) delete expected[k];
        }
        assert.deepEqual(out.value.value, expected);
      },
    ), { numRuns: 200 });
  });

  test("hostile bytes (random indexes, truncated varints, huge lengths) give a decodeError, never a throw or a hang", async () => {
    const decode = decoderFor(registry());
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 64 }), async (bytes) => {
      const started = performance.now();
      const [out] = await decode([record(wire(31, bytes))]);
      assert.ok(out?.value !== undefined);
      if (!out.value.ok) assert.match(out.value.error, /^schema ID 31: /);
      assert.ok(performance.now() - started < 1000);
    }), { numRuns: 2000 });
  });

  // Bytes captured from Apicurio 2.4.2's ProtobufKafkaSerializer (scripts/java/serde-producer),
  // building OrderShipped { correlation_id: "x" } of a file with two message types.
  const TWO = `syntax = "proto3"; package shop; message OrderPlaced { string correlation_id = 1; } message OrderShipped { string correlation_id = 1; int64 parcels = 2; }`;

  test("Apicurio's serializer behind a Confluent prefix: its Ref message names the type", async () => {
    const reg = new MemoryRegistry().add(1, { schema: TWO, schemaType: "PROTOBUF" });
    const [out] = await decoderFor(reg)([record(Buffer.from("00000000010e0a0c4f72646572536869707065640a0178", "hex"))]);
    assert.deepEqual(out?.value?.ok && out.value.value, { correlation_id: "x" });
    assert.equal(out?.value?.encoding?.messageType, "shop.OrderShipped");
  });

  test("Apicurio's header mode: bare body, the type in apicurio.protobuf.type", async () => {
    const reg = new MemoryRegistry().add(1, { schema: TWO, schemaType: "PROTOBUF" });
    const headers = {
      "apicurio.value.contentId": Buffer.from("0000000000000001", "hex"),
      "apicurio.value.msgType": Buffer.from("com.google.protobuf.DynamicMessage"),
      "apicurio.protobuf.type": Buffer.from("OrderShipped"),
    };
    const [out] = await decoderFor(reg)([record(Buffer.from("0a0178", "hex"), { headers })]);
    assert.deepEqual(out?.value?.ok && out.value.value, { correlation_id: "x" });
    assert.equal(out?.value?.encoding?.messageType, "shop.OrderShipped");
    assert.equal(out?.value?.encoding?.idSource, "apicurio-content-id");
  });
});
