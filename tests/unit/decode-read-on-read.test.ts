// Decode on read (server/decode/decode-on-read.ts): records indexed as binary while their schema
// could not be had are decoded for the answer once it can; bounded in count, time and Kafka reads.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createDecodeOnRead, MAX_KAFKA_READS, MAX_REDECODES, type RecordRef } from "../../server/decode/decode-on-read";
import type { RawRecord } from "../../server/extract/types";
import { indexedWhileDown, orderBytes, readDecoder, record, registryWith } from "./decode-read-helpers";

const limits = { valueCapBytes: 65536, maxJsonDepth: 64 };
const noKafka = async (): Promise<Map<string, RawRecord>> => {
  throw new Error("Kafka must not be asked");
};

describe("decode on read", () => {
  test("a whole value stored as binary is decoded with its encoding; the stored event is not changed", async () => {
    const stored = await indexedWhileDown(record(orderBytes(7), { headers: { "x-correlation-id": "c-1" } }));
    assert.equal(stored.valueKind, "binary");
    assert.match(stored.decodeError ?? "", /schema ID 7/);
    const read = createDecodeOnRead({ decoder: readDecoder(registryWith(7)), limits, readOriginals: noKafka });
    const [e] = await read([stored]);
    assert.deepEqual(e!.value, { correlationId: "c-1", note: "n" });
    assert.equal(e!.valueKind, "json");
    assert.deepEqual(e!.encoding, { format: "avro", schemaId: 7, subject: "orders-value", version: 3 });
    assert.equal(e!.decodeError, null);
    assert.equal(e!.decodedOnRead, true);
    assert.equal(e!.correlationId, stored.correlationId, "indexed fields stay as the index has them");
    assert.equal(stored.valueKind, "binary");
  });

  test("registry still down: answered as stored, within the decoder's wait", async () => {
    const stored = await indexedWhileDown(record(orderBytes(7)));
    const slow = registryWith(7);
    slow.delayMs = 5_000;
    const read = createDecodeOnRead({ decoder: readDecoder(slow, 200), limits, readOriginals: noKafka });
    const t0 = Date.now();
    const [e] = await read([stored]);
    assert.ok(Date.now() - t0 < 1_500, `took ${Date.now() - t0} ms`);
    assert.deepEqual(e, stored);
  });

  test("records that need nothing are returned as they are, the same array when none does", async () => {
    const plain = await indexedWhileDown(record(Buffer.from('{"a":1}')));
    const read = createDecodeOnRead({ decoder: readDecoder(registryWith(7)), limits, readOriginals: noKafka });
    const events = [plain];
    assert.equal(await read(events), events);
  });

  test(`at most ${MAX_REDECODES} records an answer, the first ones`, async () => {
    const stored = await Promise.all(Array.from({ length: MAX_REDECODES + 5 }, (_, i) => indexedWhileDown(record(orderBytes(7, `n${i}`), { offset: String(i) }))));
    const read = createDecodeOnRead({ decoder: readDecoder(registryWith(7)), limits, readOriginals: noKafka });
    const out = await read(stored);
    assert.equal(out.filter((e) => e.decodedOnRead).length, MAX_REDECODES);
    assert.ok(out.slice(0, MAX_REDECODES).every((e) => e.decodedOnRead));
  });

  test("a key's own decode error stays when the value is decoded", async () => {
    const stored = { ...(await indexedWhileDown(record(orderBytes(7)))) };
    stored.decodeError = `${stored.decodeError}; key: schema ID 9: not in the registry`;
    const read = createDecodeOnRead({ decoder: readDecoder(registryWith(7)), limits, readOriginals: noKafka });
    const [e] = await read([stored]);
    assert.equal(e!.decodeError, "key: schema ID 9: not in the registry");
  });

  describe("values the index cut", () => {
    const big = orderBytes(7, "x".repeat(300));
    const cut = () => indexedWhileDown(record(big, { topic: "t", partition: 2, offset: "40" }), 64);

    test("are read from Kafka once their schema is known, decoded, and remembered", async () => {
      const stored = await cut();
      assert.equal(stored.truncated, true);
      const asked: RecordRef[][] = [];
      const readOriginals = async (refs: RecordRef[]) => {
        asked.push(refs);
        return new Map([["t/2/40", record(big, { topic: "t", partition: 2, offset: "40" })]]);
      };
      const read = createDecodeOnRead({ decoder: readDecoder(registryWith(7)), limits, readOriginals });
      const [e] = await read([stored]);
      assert.deepEqual(e!.value, { correlationId: "c-1", note: "x".repeat(300) });
      assert.equal(e!.truncated, false);
      assert.equal(e!.decodedOnRead, true);
      const [again] = await read([stored]);
      assert.deepEqual(again, e);
      assert.equal(asked.length, 1, "the second answer comes from memory");
    });

    test("are not read from Kafka while their schema is unknown", async () => {
      const read = createDecodeOnRead({ decoder: readDecoder(registryWith(8)), limits, readOriginals: noKafka });
      const stored = await cut();
      assert.deepEqual(await read([stored]), [stored]);
    });

    test("a Kafka read that does not finish in time answers as stored, and is not retried at once", async () => {
      let calls = 0;
      const hang = () => {
        calls++;
        return new Promise<Map<string, RawRecord>>(() => {});
      };
      const read = createDecodeOnRead({ decoder: readDecoder(registryWith(7)), limits, readOriginals: hang, kafkaWaitMs: 100 });
      const stored = await cut();
      const t0 = Date.now();
      assert.deepEqual(await read([stored]), [stored]);
      assert.ok(Date.now() - t0 < 2_000);
      await read([stored]);
      assert.equal(calls, 1);
    });

    test("a read that finishes after the answer fills the memory: the next answer has the value, without reading again", async () => {
      let calls = 0;
      let done!: () => void;
      const finished = new Promise<void>((r) => (done = r));
      const slow = async () => {
        calls++;
        await new Promise((r) => setTimeout(r, 300));
        setImmediate(done);
        return new Map([["t/2/40", record(big, { topic: "t", partition: 2, offset: "40" })]]);
      };
      const read = createDecodeOnRead({ decoder: readDecoder(registryWith(7)), limits, readOriginals: slow, kafkaWaitMs: 50 });
      const stored = await cut();
      assert.deepEqual(await read([stored]), [stored]);
      await finished;
      const [e] = await read([stored]);
      assert.equal(e!.decodedOnRead, true);
      assert.equal(calls, 1);
    });

    test(`at most ${MAX_KAFKA_READS} originals an answer; another record at that offset (a re-created topic) is not used`, async () => {
      const stored = await Promise.all(Array.from({ length: MAX_KAFKA_READS + 2 }, (_, i) => indexedWhileDown(record(big, { topic: "t", partition: 0, offset: String(i) }), 64)));
      let asked = 0;
      const readOriginals = async (refs: RecordRef[]) => {
        asked = refs.length;
        return new Map(refs.map((r) => [`${r.topic}/${r.partition}/${r.offset}`, record(orderBytes(7, "other"), { ...r })]));
      };
      const read = createDecodeOnRead({ decoder: readDecoder(registryWith(7)), limits, readOriginals });
      const out = await read(stored);
      assert.equal(asked, MAX_KAFKA_READS);
      assert.ok(out.every((e) => !e.decodedOnRead));
    });
  });
});
