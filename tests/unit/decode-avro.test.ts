import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { decimalText } from "../../server/decode/avro-logical";
import { sanitizeText } from "../../server/extract/sanitize";
import { avroEncoder, decoderFor, MemoryRegistry, record, wire } from "./decode-helpers";

const LOGICAL = {
  type: "record", name: "Payment", namespace: "shop", fields: [
    { name: "amount", type: { type: "bytes", logicalType: "decimal", precision: 12, scale: 2 } },
    { name: "fixedAmount", type: { type: "fixed", name: "Money", size: 8, logicalType: "decimal", precision: 18, scale: 4 } },
    { name: "at", type: { type: "long", logicalType: "timestamp-millis" } },
    { name: "atMicros", type: { type: "long", logicalType: "timestamp-micros" } },
    { name: "localAt", type: { type: "long", logicalType: "local-timestamp-millis" } },
    { name: "day", type: { type: "int", logicalType: "date" } },
    { name: "time", type: { type: "int", logicalType: "time-millis" } },
    { name: "timeMicros", type: { type: "long", logicalType: "time-micros" } },
    { name: "id", type: { type: "string", logicalType: "uuid" } },
    { name: "farFuture", type: { type: "long", logicalType: "timestamp-millis" } },
  ],
};

async function decodeOne(schema: unknown, value: unknown) {
  const reg = new MemoryRegistry().add(1, { schema: JSON.stringify(schema) });
  const [out] = await decoderFor(reg)([record(wire(1, avroEncoder(schema).toBuffer(value)))]);
  return out!.value!;
}

describe("Avro decoding with the writer's schema", () => {
  test("logical types render exactly, as strings", async () => {
    const money = Buffer.alloc(8);
    money.writeBigInt64BE(-12345678n);
    const out = await decodeOne(LOGICAL, {
      amount: Buffer.from([0x30, 0x39]), fixedAmount: money, at: 1777110759123n, atMicros: 1777110759123456n,
      localAt: 0n, day: 19000, time: 3723004, timeMicros: 3723004005n, id: "0b1e5a30-7b4c-4a8e-9d0e-2f7a1c3b5d6e", farFuture: 999999999999999n,
    });
    assert.ok(out.ok, JSON.stringify(out));
    assert.deepEqual(out.value, {
      amount: "123.45", fixedAmount: "-1234.5678", at: "2026-04-25T09:52:39.123Z", atMicros: "2026-04-25T09:52:39.123456Z",
      localAt: "1970-01-01T00:00:00.000", day: "2022-01-08", time: "01:02:03.004", timeMicros: "01:02:03.004005",
      id: "0b1e5a30-7b4c-4a8e-9d0e-2f7a1c3b5d6e",
      // Past year 9999 a timestamp stays the number it is.
      farFuture: 999999999999999,
    });
  });

  test("decimal text is exact for any unscaled value and scale", () => {
    fc.assert(fc.property(fc.bigInt({ min: -(2n ** 100n), max: 2n ** 100n }), fc.integer({ min: 0, max: 30 }), (v, scale) => {
      const hex = (v < 0n ? (1n << 112n) + v : v).toString(16).padStart(28, "0");
      const text = decimalText(Buffer.from(hex, "hex"), scale);
      const digits = (v < 0n ? -v : v).toString().padStart(scale + 1, "0");
      const expected = `${v < 0n ? "-" : ""}${scale ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits}`;
      assert.equal(text, expected);
    }));
  });

  test("unions render as the branch value; enums, fixed, bytes, maps, longs past 2^53", async () => {
    const schema = {
      type: "record", name: "E", fields: [
        { name: "ambiguous", type: ["null", "int", "float"] },
        { name: "opt", type: ["null", "string"] },
        { name: "none", type: ["null", "string"] },
        { name: "status", type: { type: "enum", name: "S", symbols: ["NEW", "DONE"] } },
        { name: "hash", type: { type: "fixed", name: "H", size: 4 } },
        { name: "raw", type: "bytes" },
        { name: "tags", type: { type: "map", values: "long" } },
        { name: "big", type: "long" },
        { name: "small", type: "long" },
        { name: "nan", type: "double" },
      ],
    };
    const out = await decodeOne(schema, {
      ambiguous: { float: 1.5 }, opt: "x", none: null, status: "DONE", hash: Buffer.from([1, 2, 3, 4]), raw: Buffer.from("hi"),
      tags: { a: 2n ** 60n }, big: -(2n ** 63n), small: 42n, nan: NaN,
    });
    assert.ok(out.ok, JSON.stringify(out));
    assert.deepEqual(out.value, {
      ambiguous: 1.5, opt: "x", none: null, status: "DONE", hash: "AQIDBA==", raw: "aGk=",
      tags: { a: "1152921504606846976" }, big: "-9223372036854775808", small: 42, nan: "NaN",
    });
  });

  test("round trip: whatever avsc's encoder writes decodes to its JSON form", async () => {
    const schema = {
      type: "record", name: "Order", fields: [
        { name: "correlationId", type: "string" },
        { name: "n", type: "long" },
        { name: "i", type: "int" },
        { name: "d", type: "double" },
        { name: "ok", type: "boolean" },
        { name: "note", type: ["null", "string"] },
        { name: "lines", type: { type: "array", items: { type: "record", name: "Line", fields: [{ name: "sku", type: "string" }, { name: "qty", type: "int" }] } } },
        { name: "meta", type: { type: "map", values: "string" } },
        { name: "blob", type: "bytes" },
      ],
    };
    const reg = new MemoryRegistry().add(3, { schema: JSON.stringify(schema) });
    const decode = decoderFor(reg);
    const enc = avroEncoder(schema);
    const line = fc.record({ sku: fc.string(), qty: fc.integer() });
    const safeKey = fc.string().filter((k) => k !== "__proto__" && sanitizeText(k) === k);
    await fc.assert(fc.asyncProperty(
      fc.record({
        correlationId: fc.string(), n: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), i: fc.integer(), d: fc.double({ noNaN: true }),
        ok: fc.boolean(), note: fc.option(fc.string(), { nil: null }), lines: fc.array(line, { maxLength: 5 }),
        meta: fc.dictionary(safeKey, fc.string().map(sanitizeText), { maxKeys: 4 }), blob: fc.uint8Array({ maxLength: 20 }),
      }),
      async (v) => {
        const [out] = await decode([record(wire(3, enc.toBuffer({ ...v, blob: Buffer.from(v.blob) })))]);
        assert.ok(out?.value?.ok, JSON.stringify(out));
        const safe = v.n >= BigInt(Number.MIN_SAFE_INTEGER) && v.n <= BigInt(Number.MAX_SAFE_INTEGER);
        const finite = Number.isFinite(v.d) ? (Object.is(v.d, -0) ? -0 : v.d) : String(v.d);
        assert.deepEqual(out.value.value, {
          ...v, n: safe ? Number(v.n) : v.n.toString(), d: finite, blob: Buffer.from(v.blob).toString("base64"),
          meta: { ...v.meta }, correlationId: sanitizeText(v.correlationId), note: v.note === null ? null : sanitizeText(v.note),
          lines: v.lines.map((l) => ({ ...l, sku: sanitizeText(l.sku) })),
        });
      },
    ), { numRuns: 200 });
  });

  test("hostile bytes after the magic byte give a decodeError, never a throw or a hang", async () => {
    const schemas = [
      { type: "record", name: "A", fields: [{ name: "xs", type: { type: "array", items: "null" } }, { name: "m", type: { type: "map", values: "int" } }] },
      { type: "record", name: "Node", fields: [{ name: "v", type: "string" }, { name: "next", type: ["null", "Node"] }] },
      LOGICAL,
      { type: "array", items: { type: "record", name: "Empty", fields: [] } },
    ];
    const reg = new MemoryRegistry();
    schemas.forEach((s, i) => reg.add(i + 1, { schema: JSON.stringify(s) }));
    const decode = decoderFor(reg);
    await fc.assert(fc.asyncProperty(fc.integer({ min: 1, max: 4 }), fc.uint8Array({ maxLength: 64 }), async (id, bytes) => {
      const started = performance.now();
      const [out] = await decode([record(wire(id, bytes))]);
      assert.ok(out?.value !== undefined);
      if (!out.value.ok) assert.match(out.value.error, /^schema ID \d+: /);
      assert.ok(performance.now() - started < 1000, "decoding took over a second");
    }), { numRuns: 1500 });
  });

  test("an array claiming 2^31 items in a few bytes fails at once", async () => {
    const schema = { type: "array", items: "int" };
    const reg = new MemoryRegistry().add(5, { schema: JSON.stringify(schema) });
    // zig-zag varint of 2^31 items, then two ints
    const started = performance.now();
    const [out] = await decoderFor(reg)([record(wire(5, Buffer.from([0x80, 0x80, 0x80, 0x80, 0x10, 2, 4])))]);
    assert.equal(out?.value?.ok, false);
    assert.match(out!.value!.ok ? "" : out!.value!.error, /claims \d+ items/);
    assert.ok(performance.now() - started < 200);
  });

  test("trailing bytes and truncated bodies do not match the schema", async () => {
    const schema = { type: "record", name: "R", fields: [{ name: "s", type: "string" }] };
    const reg = new MemoryRegistry().add(6, { schema: JSON.stringify(schema) });
    const body = avroEncoder(schema).toBuffer({ s: "hello" });
    const [trailing, cut] = await decoderFor(reg)([record(wire(6, Buffer.concat([body, Buffer.from([0])]))), record(wire(6, body.subarray(0, 3)))]);
    assert.deepEqual(trailing?.value, { ok: false, error: "schema ID 6: does not match its schema (trailing data)", encoding: { format: "avro", schemaId: 6 } });
    assert.equal(cut?.value?.ok, false);
  });

  test("Avro schema references: named types from other subjects", async () => {
    const address = { type: "record", name: "Address", namespace: "shop", fields: [{ name: "city", type: "string" }] };
    const order = { type: "record", name: "Order", namespace: "shop", fields: [{ name: "to", type: "shop.Address" }] };
    const reg = new MemoryRegistry()
      .add(20, { schema: JSON.stringify(address) }, { subject: "address", version: 1 })
      .add(21, { schema: JSON.stringify(order), references: [{ name: "shop.Address", subject: "address", version: 1 }] });
    const full = { ...order, fields: [{ name: "to", type: address }] };
    const [out] = await decoderFor(reg)([record(wire(21, avroEncoder(full).toBuffer({ to: { city: "Lyon" } })))]);
    assert.deepEqual(out?.value, { ok: true, value: { to: { city: "Lyon" } }, encoding: { format: "avro", schemaId: 21 } });
  });
});
