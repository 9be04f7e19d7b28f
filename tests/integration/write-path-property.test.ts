// Property: whatever a producer writes, extraction plus the real write into each store never
// throws for data reasons, every record ends up indexed or quarantined, and a normal record
// written after them is found by correlation ID. Generated records: random bytes, timestamps
// across the whole int64 range, repeated, binary and huge headers, every dead-letter family with
// random and overflowing numbers, 10k-character IDs, deep JSON, NUL and lone surrogates.
// A failing run prints its seed: add it to REGRESSION_SEEDS.
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { sql } from "drizzle-orm";
import { openStore, type Store } from "../../server/db/client";
import { defaultExtractConfig, extractRecord, type RawHeaderValue, type RawRecord } from "../../server/extract";
import { writeRecords } from "../../server/tap/write-records";
import { findFlow } from "../../server/flows/find-flow";
import { freshDatabase, tempDir, uniqueName } from "./harness";

const REGRESSION_SEEDS: number[] = [];
const RUNS = 40;

const utf8 = (s: string) => Buffer.from(s, "utf8");
/** Strings with NUL, lone surrogates and everything else UTF-16 allows. */
const anyText = fc.string({ unit: "binary", maxLength: 40 });
const int64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
const hugeNumber = fc.oneof(int64.map(String), fc.constant("99999999999999999999"), fc.constant("-1"), fc.constant("1e400"), anyText);

/** A header value as clients hand them over: text, bytes, repeated, or absent. */
const headerValue: fc.Arbitrary<RawHeaderValue> = fc.oneof(
  anyText.map(utf8),
  fc.uint8Array({ maxLength: 32 }),
  hugeNumber.map(utf8),
  // Big-endian binary numbers of every width, as Spring writes them.
  fc.uint8Array({ minLength: 1, maxLength: 9 }),
  fc.array(fc.oneof(anyText, fc.uint8Array({ maxLength: 8 }).map((b) => Buffer.from(b))), { minLength: 1, maxLength: 3 }),
  fc.constant(null),
  fc.constant(utf8("x".repeat(200_000))),
);

const DLQ_HEADERS = [
  "kafka_dlt-original-topic", "kafka_dlt-original-partition", "kafka_dlt-original-offset", "kafka_dlt-original-timestamp",
  "kafka_dlt-original-consumer-group", "kafka_dlt-exception-fqcn", "kafka_dlt-exception-message", "kafka_dlt-exception-stacktrace",
  "kafka_original-topic", "kafka_original-partition", "kafka_original-offset", "retry_topic-attempts",
  "x-original-topic", "x-original-partition", "x-original-offset",
  "__connect.errors.topic", "__connect.errors.partition", "__connect.errors.offset", "__connect.errors.connector.name",
  "__streams.errors.topic", "__streams.errors.partition", "__streams.errors.offset",
  "source_topic", "source_partition", "source_offset", "kafka_throwable_message",
  "x-correlation-id", "traceparent", "b3", "ce_id", "ce_type", "content-type", "kafka_correlationId",
];

const headers = fc.dictionary(fc.oneof(fc.constantFrom(...DLQ_HEADERS), anyText), headerValue, { maxKeys: 12 });

function deepJson(depth: number): string {
  return `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
}

const value = fc.oneof(
  fc.constant(null),
  fc.uint8Array({ maxLength: 64 }),
  anyText.map(utf8),
  fc.jsonValue({ maxDepth: 4 }).map((v) => utf8(JSON.stringify(v))),
  fc.record({ correlationId: fc.oneof(anyText, fc.constant("c".repeat(10_000))), type: anyText, n: hugeNumber }).map((v) => utf8(JSON.stringify(v))),
  fc.integer({ min: 60, max: 5_000 }).map((d) => utf8(deepJson(d))),
  anyText.map((t) => utf8(`{"correlationId":"\\u0000${JSON.stringify(t).slice(1, -1)}\\ud800"}`)),
);

let offsetCounter = 0n;
const record = (topic: string): fc.Arbitrary<RawRecord> =>
  fc.record({
    partition: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    timestamp: fc.oneof(int64.map(String), fc.constant("-1"), anyText),
    key: fc.option(fc.oneof(fc.uint8Array({ maxLength: 40 }), fc.constant(utf8("k".repeat(10_000))))),
    headers,
    value,
  }).map((r) => ({ ...r, topic, offset: String(offsetCounter++), key: r.key ?? null, value: r.value ?? null }));

async function placed(store: Store, topic: string): Promise<Set<string>> {
  const rows = await store.rows<{ k: string }>(sql`
    SELECT partition || '/' || "offset" AS k FROM events WHERE topic = ${topic}
    UNION ALL SELECT partition || '/' || "offset" FROM tap_quarantine WHERE topic = ${topic}`);
  return new Set(rows.map((r) => r.k));
}

for (const kind of ["postgres", "pglite"] as const) {
  describe(`the write path under generated records (${kind})`, () => {
    let store: Store | undefined;
    after(async () => store?.close());

    test("never throws for data, stores or quarantines every record, still finds a normal one after", { timeout: 600_000 }, async () => {
      store = await openStore({ databaseUrl: kind === "postgres" ? await freshDatabase() : null, dataDir: tempDir("prop-"), maxConnections: 2 });
      const s = store;
      const config = defaultExtractConfig();
      const topic = uniqueName("prop-");
      const property = fc.asyncProperty(fc.array(record(topic), { minLength: 1, maxLength: 12 }), async (raws) => {
        const out = await writeRecords(s, raws.map((r) => extractRecord(r, config)), /Completed$/);
        const have = await placed(s, topic);
        for (const r of raws) assert.ok(have.has(`${r.partition}/${r.offset}`), `record ${r.partition}/${r.offset} is neither indexed nor quarantined`);
        assert.ok(out.inserted + out.quarantined <= raws.length);
        const cid = uniqueName("normal-");
        const normal: RawRecord = { topic, partition: 0, offset: String(offsetCounter++), timestamp: String(Date.now()), key: null, headers: {}, value: utf8(JSON.stringify({ correlationId: cid })) };
        await writeRecords(s, [extractRecord(normal, config)], /Completed$/);
        const flow = await findFlow(s, cid);
        assert.equal(flow?.events.length, 1, "a normal record after them is found by correlation ID");
      });
      for (const seed of REGRESSION_SEEDS) await fc.assert(property, { seed, numRuns: 1 });
      await fc.assert(property, { numRuns: RUNS });
    });
  });
}
