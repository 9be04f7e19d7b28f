// Values that are legal in Kafka but not in the index's columns: the extractor brings them into
// range and says what it changed (anomalies), so the common cases never reach the store.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { defaultExtractConfig, extractRecord, type ExtractConfig, type ExtractedRecord, type RawRecord } from "../../server/extract";

const utf8 = (s: string): Uint8Array => Buffer.from(s, "utf8");
const MAX_TS = "9999-12-31T23:59:59.999Z";

function extract(over: Partial<RawRecord>, config: Partial<ExtractConfig> = {}): ExtractedRecord {
  const raw: RawRecord = { topic: "orders", partition: 0, offset: "7", timestamp: "1777110759000", key: null, headers: {}, value: null, ...over };
  return extractRecord(raw, { ...defaultExtractConfig(), ...config });
}

describe("timestamps", () => {
  const cases: Array<{ name: string; ts: string; iso: string; anomaly: boolean }> = [
    { name: "an ordinary time", ts: "1777110759000", iso: "2026-04-25T09:52:39.000Z", anomaly: false },
    { name: "Kafka's -1 (no timestamp)", ts: "-1", iso: "1970-01-01T00:00:00.000Z", anomaly: false },
    { name: "microseconds written as milliseconds (year 58000)", ts: "1777110759000000", iso: MAX_TS, anomaly: true },
    { name: "the first millisecond of year 10000", ts: "253402300800000", iso: MAX_TS, anomaly: true },
    { name: "the last millisecond of year 9999", ts: "253402300799999", iso: MAX_TS, anomaly: false },
    { name: "int64 max", ts: "9223372036854775807", iso: MAX_TS, anomaly: true },
    { name: "int64 min", ts: "-9223372036854775808", iso: "1970-01-01T00:00:00.000Z", anomaly: true },
    { name: "not a number", ts: "soon", iso: "1970-01-01T00:00:00.000Z", anomaly: true },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const out = extract({ timestamp: c.ts });
      assert.equal(out.timestamp, c.iso);
      assert.equal(out.anomalies.length > 0, c.anomaly, out.anomalies.join("; "));
      if (c.anomaly) assert.match(out.anomalies[0]!, /^timestamp /);
    });
  }
});

describe("dead-letter origin numbers", () => {
  test("a 20-digit Kafka Connect offset is dropped, not stored, and said so", () => {
    const out = extract({
      topic: "anything",
      headers: { "__connect.errors.topic": "orders", "__connect.errors.offset": "99999999999999999999", "__connect.errors.partition": "3" },
    });
    assert.equal(out.dlq?.sourceTopic, "orders");
    assert.equal(out.dlq?.sourceOffset, null);
    assert.equal(out.dlq?.sourcePartition, 3);
    assert.ok(out.anomalies.some((a) => a.includes("offset")), out.anomalies.join("; "));
  });

  test("int64 max is still a valid offset; one more is not", () => {
    const at = (offset: string) => extract({ headers: { "__connect.errors.topic": "o", "__connect.errors.offset": offset } });
    assert.equal(at("9223372036854775807").dlq?.sourceOffset, "9223372036854775807");
    assert.equal(at("9223372036854775808").dlq?.sourceOffset, null);
  });

  test("a partition past int32 and a negative one are dropped with an anomaly", () => {
    for (const p of ["2147483648", "-5"]) {
      const out = extract({ headers: { "__connect.errors.topic": "o", "__connect.errors.partition": p } });
      assert.equal(out.dlq?.sourcePartition, null);
      assert.ok(out.anomalies.some((a) => a.includes("partition")), p);
    }
  });

  test("Spring Kafka 4.x retry topics name the failed group in kafka_dlt-original-consumer-group", () => {
    const out = extract({
      topic: "payments-retry-0",
      headers: { "kafka_original-topic": "payments", "kafka_dlt-original-consumer-group": "billing" },
    });
    assert.equal(out.dlq?.family, "spring-retry");
    assert.equal(out.dlq?.failedGroup, "billing");
  });
});

describe("headers", () => {
  test("a 1 MB header is cut for display; extraction still sees it whole", () => {
    const big = "x".repeat(1_000_000) + "-tail";
    const out = extract({ headers: { "x-big": big, "x-correlation-id": "c-1" } }, { valueCapBytes: 65536 });
    const shownBytes = Buffer.byteLength(JSON.stringify(out.headers));
    assert.ok(shownBytes <= 65536 + 1024, `${shownBytes} bytes of headers kept`);
    assert.equal(out.headers["x-correlation-id"], "c-1");
    assert.equal(out.correlationId, "c-1");
    assert.ok(out.anomalies.some((a) => a.startsWith("headers ")), out.anomalies.join("; "));
  });

  test("100,000 small headers are capped in total", () => {
    const headers = Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`h${i}`, utf8("value")]));
    const out = extract({ headers }, { valueCapBytes: 65536 });
    assert.ok(Buffer.byteLength(JSON.stringify(out.headers)) <= 65536 + 1024);
    assert.ok(out.anomalies.some((a) => a.startsWith("headers ")));
  });

  test("ordinary headers are kept as sent, with no anomaly", () => {
    const out = extract({ headers: { a: "1", b: utf8("two") } });
    assert.deepEqual(out.headers, { a: "1", b: "two" });
    assert.deepEqual(out.anomalies, []);
  });
});
