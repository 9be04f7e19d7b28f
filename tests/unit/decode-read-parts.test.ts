// The pure half of decode-on-read (server/decode/stored-record.ts) and how the panels word it
// (components/flow/encoding-text.ts).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { applyPatch, decodedPatch, keyErrorOf, needsOriginal, storedRecord, wantsRedecode } from "../../server/decode/stored-record";
import { decodeErrorText, encodingLine } from "../../components/flow/encoding-text";
import { indexedWhileDown, orderBytes, record } from "./decode-read-helpers";

describe("which records are decoded again, from what", () => {
  test("binary values with a decode error only; not a key's error alone, not plain records", async () => {
    const down = await indexedWhileDown(record(orderBytes(7)));
    assert.equal(wantsRedecode(down), true);
    assert.equal(wantsRedecode({ ...down, decodeError: "key: schema ID 3: not in the registry" }), false);
    assert.equal(wantsRedecode(await indexedWhileDown(record(Buffer.from([0xff, 0xfe])))), false);
    assert.equal(wantsRedecode(await indexedWhileDown(record(Buffer.from('{"a":1}')))), false);
  });

  test("the record rebuilt from the index: value bytes and headers (text and binary) exactly as sent", async () => {
    const contentId = Buffer.from([0, 0, 0, 0, 0, 0, 0, 42]);
    const raw = record(orderBytes(7), { headers: { "apicurio.value.contentId": contentId, "x-correlation-id": "c-ü" } });
    const rebuilt = storedRecord(await indexedWhileDown(raw))!;
    assert.deepEqual(Buffer.from(rebuilt.value!), raw.value);
    assert.deepEqual(Buffer.from(rebuilt.headers["apicurio.value.contentId"] as Uint8Array), contentId);
    assert.equal(Buffer.from(rebuilt.headers["x-correlation-id"] as Uint8Array).toString("utf8"), "c-ü");
    assert.equal(rebuilt.key, null);
  });

  test("a cut value, or cut headers, need the original from Kafka", async () => {
    const whole = await indexedWhileDown(record(orderBytes(7)));
    assert.equal(needsOriginal(whole), false);
    assert.equal(needsOriginal(await indexedWhileDown(record(orderBytes(7, "x".repeat(200))), 64)), true);
    assert.equal(needsOriginal({ ...whole, anomalies: ["headers cut for display: 1 shortened, 0 left out past 65536 bytes"] }), true);
    assert.equal(needsOriginal({ ...whole, anomalies: ["timestamp clamped"] }), false);
  });

  test("the key's part of a stored error", () => {
    assert.equal(keyErrorOf("schema ID 1: not in the registry"), null);
    assert.equal(keyErrorOf("schema ID 1: x; key: schema ID 2: y"), "key: schema ID 2: y");
    assert.equal(keyErrorOf("key: schema ID 2: y"), "key: schema ID 2: y");
    assert.equal(keyErrorOf(null), null);
  });

  test("a decoded value past the display cap is shown as the index would: a prefix of its JSON text", () => {
    const encoding = { format: "avro" as const, schemaId: 7 };
    const small = decodedPatch({ ok: true, value: { a: 1 }, encoding }, 10, { valueCapBytes: 100, maxJsonDepth: 64 });
    assert.deepEqual(small, { value: { a: 1 }, valueKind: "json", truncated: false, encoding });
    const big = decodedPatch({ ok: true, value: { a: "x".repeat(50) }, encoding }, 60, { valueCapBytes: 20, maxJsonDepth: 64 });
    assert.deepEqual(big, { value: '{"a":"xxxxxxxxxxxxxx', valueKind: "json", truncated: true, encoding });
    assert.equal(decodedPatch({ ok: false, error: "e", encoding: null }, 1, { valueCapBytes: 20, maxJsonDepth: 64 }), null);
  });

  test("a patched event says it was decoded on read and keeps everything else", async () => {
    const e = await indexedWhileDown(record(orderBytes(7)));
    const out = applyPatch(e, { value: { a: 1 }, valueKind: "json", truncated: false, encoding: { format: "avro", schemaId: 7 } });
    assert.equal(out.decodedOnRead, true);
    assert.equal(out.decodeError, null);
    assert.equal(out.size, e.size);
    assert.equal(out.offset, e.offset);
  });
});

describe("the panels' words", () => {
  test("the encoding line names what is known", () => {
    assert.equal(encodingLine({ format: "avro", schemaId: 42, subject: "orders-value", version: 3 }), "Avro · schema 42 · orders-value v3");
    assert.equal(encodingLine({ format: "protobuf", schemaId: 5, messageType: "shop.OrderShipped" }), "Protobuf · schema 5 · shop.OrderShipped");
    assert.equal(encodingLine({ format: "json-schema", schemaId: 9, idSource: "apicurio-global-id" }), "JSON Schema · global ID 9");
    assert.equal(encodingLine({ format: "avro", schemaGuid: "0b7c3c52-6f5e-4a53-9a55-3f1f0c9e2a10" }), "Avro · schema 0b7c3c52-6f5e-4a53-9a55-3f1f0c9e2a10");
  });

  test("decode errors in plain words", () => {
    assert.equal(decodeErrorText("schema ID 42: the schema registry did not answer within 2000 ms"), "not decoded: schema registry did not answer in 2 s (schema ID 42)");
    assert.equal(decodeErrorText("schema ID 42: not in the registry"), "not decoded: the schema registry does not know schema ID 42");
    assert.equal(
      decodeErrorText("schema ID 42: schema registry unavailable: ECONNREFUSED (connect ECONNREFUSED 127.0.0.1:1)"),
      "not decoded: schema registry unreachable (ECONNREFUSED (connect ECONNREFUSED 127.0.0.1:1)) for schema ID 42",
    );
    assert.equal(decodeErrorText("schema ID 42: schema registry unavailable: no answer within 1500 ms"), "not decoded: schema registry did not answer in 1.5 s (schema ID 42)");
    assert.equal(decodeErrorText("schema ID 4: does not match its schema (x); key: schema ID 2: not in the registry"), "not decoded: schema ID 4: does not match its schema (x); key: the schema registry does not know schema ID 2");
  });
});
