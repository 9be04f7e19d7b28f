import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { DecodeFailure, locateSchema, readIndexes } from "../../server/decode/wire";
import { indexBytes, wire } from "./decode-helpers";

const long = (n: number) => {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(BigInt(n));
  return b;
};

describe("wire format: where the schema ID is", () => {
  test("Confluent prefix: magic 0, 4-byte big-endian ID, body after it", () => {
    const side = locateSchema(wire(0x01020304, Buffer.from([9, 9])), {}, "value");
    assert.deepEqual(side?.ref, { kind: "id", id: 0x01020304 });
    assert.deepEqual([...side!.body], [9, 9]);
  });

  test("values without magic byte 0, or shorter than 5 bytes, are not wire format", () => {
    assert.equal(locateSchema(Buffer.from('{"a":1}'), {}, "value"), null);
    assert.equal(locateSchema(Buffer.from([0, 0, 0, 1]), {}, "value"), null);
    assert.equal(locateSchema(null, {}, "value"), null);
    // An 8-byte big-endian long key below 2^32 starts with four zero bytes: ID 0 is no Confluent ID.
    assert.equal(locateSchema(long(500), {}, "key"), null);
  });

  test("ID 0 with 9+ bytes is Apicurio's 8-byte globalId prefix", () => {
    const side = locateSchema(Buffer.concat([Buffer.from([0]), long(42), Buffer.from([7])]), {}, "value");
    assert.deepEqual(side?.ref, { kind: "apicurio-global", id: 42 });
    assert.equal(side?.apicurio, true);
    assert.deepEqual([...side!.body], [7]);
  });

  test("Confluent header __value_schema_id: magic 1 + GUID, bare payload, indexes in the header", () => {
    const guid = Buffer.from("0123456789abcdef0123456789abcdef", "hex");
    const header = Buffer.concat([Buffer.from([1]), guid, Buffer.from(indexBytes([1]))]);
    const side = locateSchema(Buffer.from([8, 1]), { __value_schema_id: header }, "value");
    assert.deepEqual(side?.ref, { kind: "guid", guid: "01234567-89ab-cdef-0123-456789abcdef" });
    assert.equal(side?.idSource, "header");
    assert.deepEqual([...side!.body], [8, 1]);
    assert.deepEqual(readIndexes(side!.headerIndexes!, 0).indexes, [1]);
    // The key's header is separate, and names match case-insensitively; the last repeat wins.
    const key = locateSchema(Buffer.from([1]), { __KEY_SCHEMA_ID: [Buffer.from([0, 0, 0, 0, 5]), Buffer.from([0, 0, 0, 0, 6])] }, "key");
    assert.deepEqual(key?.ref, { kind: "id", id: 6 });
  });

  test("Apicurio headers: contentId is a ccompat ID, globalId its own kind, JSON encoding flagged", () => {
    const c = locateSchema(Buffer.from([2, 4]), { "apicurio.value.contentId": long(11) }, "value");
    assert.deepEqual(c?.ref, { kind: "id", id: 11 });
    assert.equal(c?.idSource, "apicurio-content-id");
    const g = locateSchema(Buffer.from("{}"), { "apicurio.value.globalId": long(12), "apicurio.value.encoding": Buffer.from("JSON") }, "value");
    assert.deepEqual(g?.ref, { kind: "apicurio-global", id: 12 });
    assert.equal(g?.avroJson, true);
    assert.throws(() => locateSchema(Buffer.from([1]), { "apicurio.value.globalId": Buffer.from([1, 2]) }, "value"), DecodeFailure);
  });

  test("message indexes: the lone 0 is [0]; count then zig-zag indexes otherwise", () => {
    assert.deepEqual(readIndexes(Buffer.from([0, 0x0a]), 0), { indexes: [0], pos: 1 });
    assert.deepEqual(readIndexes(Buffer.from(indexBytes([1])), 0).indexes, [1]);
    assert.deepEqual(readIndexes(Buffer.from(indexBytes([0, 2])), 0).indexes, [0, 2]);
    assert.deepEqual(readIndexes(Buffer.from(indexBytes([300, 70000])), 0).indexes, [300, 70000]);
  });

  test("hostile index bytes fail with DecodeFailure, never another error", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
        try {
          const { indexes, pos } = readIndexes(bytes, 0);
          assert.ok(indexes.length >= 1 && indexes.length <= 32 && pos <= bytes.length);
          assert.ok(indexes.every((i) => Number.isInteger(i) && i >= 0));
        } catch (err) {
          assert.ok(err instanceof DecodeFailure, String(err));
        }
      }),
      { numRuns: 2000 },
    );
  });

  test("hostile headers and prefixes never throw anything but DecodeFailure", () => {
    const names = ["__value_schema_id", "apicurio.value.globalId", "apicurio.value.contentId", "apicurio.value.encoding", "other"];
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 30 }), fc.dictionary(fc.constantFrom(...names), fc.uint8Array({ maxLength: 20 })), (value, h) => {
        const headers = Object.fromEntries(Object.entries(h).map(([k, v]) => [k, Buffer.from(v)]));
        try {
          locateSchema(Buffer.from(value), headers, "value");
        } catch (err) {
          assert.ok(err instanceof DecodeFailure, String(err));
        }
      }),
      { numRuns: 2000 },
    );
  });
});
