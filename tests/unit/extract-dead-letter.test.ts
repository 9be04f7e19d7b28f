import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  DEFAULT_DLQ_TOPIC_PATTERN, defaultExtractConfig, extractRecord, inferDeadLetterSource,
  type DeadLetterOrigin, type ExtractConfig, type ExtractedRecord, type RawHeaderValue,
} from "../../server/extract";

const utf8 = (s: string): Uint8Array => Buffer.from(s, "utf8");
const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);

function extract(topic: string, headers: Record<string, RawHeaderValue>, config: Partial<ExtractConfig> = {}): ExtractedRecord {
  return extractRecord(
    { topic, partition: 0, offset: "0", timestamp: "0", key: null, headers, value: utf8("{}") },
    { ...defaultExtractConfig(), ...config },
  );
}

function dlqOf(topic: string, headers: Record<string, RawHeaderValue>): DeadLetterOrigin {
  const out = extract(topic, headers);
  assert.ok(out.dlq !== null, "expected a dead-letter origin");
  assert.equal(out.isDlq, true);
  return out.dlq;
}

describe("dead-letter integers", () => {
  const cases: Array<{ name: string; family: string; partition: Uint8Array | string; offset: Uint8Array | string; expected: [number | null, string | null] }> = [
    { name: "Spring DLT 4-byte / 8-byte BE", family: "spring-dlt", partition: bytes(0, 0, 0, 2), offset: bytes(0, 0, 0, 0, 0, 0, 0x30, 0x39), expected: [2, "12345"] },
    { name: "Spring DLT 8-byte offset above 2^53", family: "spring-dlt", partition: bytes(0, 0, 0, 0), offset: bytes(0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff), expected: [0, "9223372036854775807"] },
    { name: "Spring DLT 4 ASCII digits are still binary", family: "spring-dlt", partition: utf8("0001"), offset: utf8("12"), expected: [0x30303031, "12"] },
    { name: "Spring DLT wrong lengths", family: "spring-dlt", partition: bytes(0, 2), offset: bytes(1, 2, 3), expected: [null, null] },
    { name: "Spring DLT negative", family: "spring-dlt", partition: bytes(0xff, 0xff, 0xff, 0xff), offset: bytes(0xff, 0, 0, 0, 0, 0, 0, 0), expected: [null, null] },
    { name: "Spring retry 1-byte", family: "spring-retry", partition: bytes(1), offset: bytes(0x4d), expected: [1, "77"] },
    { name: "Spring retry 2-byte", family: "spring-retry", partition: bytes(0x01, 0x00), offset: bytes(0x00, 0x4d), expected: [256, "77"] },
    { name: "Spring retry 4-byte / 8-byte", family: "spring-retry", partition: bytes(0, 0, 0, 5), offset: bytes(0, 0, 0, 1, 0, 0, 0, 0), expected: [5, "4294967296"] },
    { name: "Spring retry decimal text", family: "spring-retry", partition: utf8("12"), offset: utf8("900000000000"), expected: [12, "900000000000"] },
    { name: "Spring retry 1-byte ASCII digit reads as text", family: "spring-retry", partition: bytes(0x31), offset: utf8("0"), expected: [1, "0"] },
    { name: "Spring retry 9 bytes / empty", family: "spring-retry", partition: new Uint8Array(9), offset: new Uint8Array(0), expected: [null, null] },
    { name: "SCS 4/8-byte BE", family: "scs", partition: bytes(0, 0, 0, 0), offset: bytes(0, 0, 0, 0, 0, 0, 0, 42), expected: [0, "42"] },
    { name: "SCS decimal text", family: "scs", partition: utf8("3"), offset: utf8("42"), expected: [3, "42"] },
    { name: "Connect decimal text", family: "connect", partition: utf8("3"), offset: utf8("9001"), expected: [3, "9001"] },
    { name: "Connect garbage", family: "connect", partition: utf8("three"), offset: bytes(0, 0, 0, 0, 0, 0, 0, 1), expected: [null, null] },
    { name: "Connect partition beyond int32", family: "connect", partition: utf8("2147483648"), offset: utf8("99999999999999999999999"), expected: [null, null] },
    { name: "Streams decimal text", family: "streams", partition: utf8("1"), offset: utf8("5"), expected: [1, "5"] },
    { name: "Karafka decimal text, kafkajs strings", family: "karafka", partition: "4", offset: " 10 ", expected: [4, "10"] },
  ];
  const names: Record<string, [string, string, string]> = {
    "spring-dlt": ["kafka_dlt-original-topic", "kafka_dlt-original-partition", "kafka_dlt-original-offset"],
    "spring-retry": ["kafka_original-topic", "kafka_original-partition", "kafka_original-offset"],
    scs: ["x-original-topic", "x-original-partition", "x-original-offset"],
    connect: ["__connect.errors.topic", "__connect.errors.partition", "__connect.errors.offset"],
    streams: ["__streams.errors.topic", "__streams.errors.partition", "__streams.errors.offset"],
    karafka: ["source_topic", "source_partition", "source_offset"],
  };
  for (const c of cases) {
    test(c.name, () => {
      const [topicH, partitionH, offsetH] = names[c.family] ?? ["", "", ""];
      const dlq = dlqOf("anything", { [topicH]: utf8("src"), [partitionH]: c.partition, [offsetH]: c.offset });
      assert.equal(dlq.family, c.family);
      assert.equal(dlq.sourceTopic, "src");
      assert.deepEqual([dlq.sourcePartition, dlq.sourceOffset], c.expected);
    });
  }

  test("retry_topic-attempts in any width; Spring DLT original timestamp", () => {
    const dlq = dlqOf("payments.DLT", {
      "kafka_dlt-original-topic": utf8("payments"),
      "kafka_dlt-original-timestamp": Buffer.from("AAABncQONlg=", "base64"),
      "retry_topic-attempts": bytes(0, 0, 0, 3),
    });
    assert.equal(dlq.attempts, 3);
    assert.equal(dlq.sourceTimestamp, "2026-04-25T09:52:39.000Z");
  });
});

describe("dead-letter families", () => {
  test("Spring DLT: the cause class wins, else the wrapper class; stack trace capped at 16 KiB", () => {
    const trace = "at com.example.Foo.bar(Foo.java:1)\n€".repeat(1000);
    const withCause = dlqOf("payments.DLT", {
      "kafka_dlt-original-topic": utf8("payments"),
      "kafka_dlt-exception-fqcn": utf8("org.springframework.kafka.listener.ListenerExecutionFailedException"),
      "kafka_dlt-exception-cause-fqcn": utf8("java.lang.IllegalStateException"),
      "kafka_dlt-exception-stacktrace": utf8(trace),
    });
    assert.equal(withCause.errorClass, "java.lang.IllegalStateException");
    const shown = withCause.stacktrace ?? "";
    assert.ok(Buffer.byteLength(shown) <= 16384 && Buffer.byteLength(shown) > 16380);
    assert.ok(trace.startsWith(shown));
    const noCause = dlqOf("payments.DLT", { "kafka_dlt-original-topic": utf8("payments"), "kafka_dlt-exception-fqcn": utf8("a.B") });
    assert.equal(noCause.errorClass, "a.B");
  });

  test("the first family in table order wins", () => {
    const dlq = dlqOf("x", { "__connect.errors.topic": utf8("c"), "kafka_original-topic": utf8("r"), "kafka_dlt-original-topic": utf8("d") });
    assert.deepEqual([dlq.family, dlq.sourceTopic], ["spring-dlt", "d"]);
  });

  test("Connect: failed group is the sink connector's group", () => {
    const dlq = dlqOf("dlq-jdbc-sink", {
      "__connect.errors.topic": utf8("orders.created"),
      "__connect.errors.connector.name": utf8("jdbc-sink"),
      "__connect.errors.exception.message": utf8("boom"),
    });
    assert.deepEqual([dlq.failedGroup, dlq.errorMessage], ["connect-jdbc-sink", "boom"]);
  });

  test("Kafka Streams and Karafka", () => {
    const streams = dlqOf("app-dlq", {
      "__streams.errors.topic": utf8("in"), "__streams.errors.exception": utf8("org.X"), "__streams.errors.message": utf8("bad"),
    });
    assert.deepEqual([streams.family, streams.sourceTopic, streams.errorClass, streams.errorMessage], ["streams", "in", "org.X", "bad"]);
    const karafka = dlqOf("dead_messages", { source_topic: utf8("visits"), source_consumer_group: utf8("app") });
    assert.deepEqual([karafka.family, karafka.sourceTopic, karafka.failedGroup], ["karafka", "visits", "app"]);
  });

  test("laravel-kafka: throwable headers alone make a DLQ record; source from the name", () => {
    const dlq = dlqOf("orders.dlq", { kafka_throwable_code: utf8("0"), kafka_throwable_class_name: utf8("App\\E") });
    assert.deepEqual([dlq.family, dlq.sourceTopic, dlq.errorClass, dlq.errorMessage], ["laravel", "orders", "App\\E", null]);
  });

  test("SCS: the group comes from error.<destination>.<group>", () => {
    const dlq = dlqOf("error.orders.inventory", { "x-original-topic": utf8("orders") });
    assert.deepEqual([dlq.family, dlq.failedGroup], ["scs", "inventory"]);
  });

  test("name only: family \"name\" with the inferred source", () => {
    const dlq = dlqOf("payments.DLT", {});
    assert.deepEqual(dlq, {
      family: "name", sourceTopic: "payments", sourcePartition: null, sourceOffset: null, sourceTimestamp: null,
      errorClass: null, errorMessage: null, stacktrace: null, failedGroup: null, attempts: null,
    });
  });

  test("neither headers nor name: not a DLQ", () => {
    const out = extract("orders.created", { "x-exception-message": utf8("not an origin header") });
    assert.deepEqual([out.isDlq, out.dlq], [false, null]);
  });

  test("a configured pattern replaces the default, even a global one", () => {
    const config = { dlqTopicPattern: /\.failures$/g };
    for (let i = 0; i < 3; i++) {
      assert.equal(extract("orders.failures", {}, config).isDlq, true);
      assert.equal(extract("orders.DLT", {}, config).isDlq, false);
    }
  });
});

describe("dead-letter topic names", () => {
  const inference: Array<[string, string | null, string | null]> = [
    ["payments.DLT", "payments", null],
    ["payments.dlt", "payments", null],
    ["payments-dlt", "payments", null],
    ["orders.dlq", "orders", null],
    ["orders-dlq", "orders", null],
    ["ORDERS-DLQ", "ORDERS", null],
    ["orders_dlq", "orders", null],
    ["orders.created.failed.dlq", "orders.created", null],
    ["payments-retry-0", "payments", null],
    ["payments-retry-1000", "payments", null],
    ["payments-retry", "payments", null],
    ["orders.dead-letter", "orders", null],
    ["error.orders.inventory", "orders", "inventory"],
    ["error.orders.created.inventory", "orders.created", "inventory"],
    ["dlq-jdbc-sink", null, null],
    ["dlq.orders", null, null],
    ["dead-letter-queue.orders", null, null],
    ["orders", null, null],
    [".dlq", null, null],
  ];
  for (const [topic, sourceTopic, group] of inference) {
    test(`infers ${topic} → ${sourceTopic}`, () => assert.deepEqual(inferDeadLetterSource(topic), { sourceTopic, group }));
  }

  const pattern: Array<[string, boolean]> = [
    ["payments.DLT", true], ["payments-dlt", true], ["orders.dlq", true], ["orders-DLQ", true], ["orders_dlq", true],
    ["orders.failed.dlq", true], ["payments-retry-0", true], ["payments-retry-30000", true],
    ["orders.dead-letter", true], ["deadletter.orders", true], ["orders_dead_letter_queue", true],
    ["dlq-jdbc-sink", true], ["dlq.orders", true], ["dlq_orders", true], ["error.orders.inventory", true],
    ["orders", false], ["orders.created", false], ["dlqueue", false], ["orders.dlqx", false],
    ["error.orders", false], ["errors.orders.group", false], ["payments-retry-x", false],
  ];
  for (const [topic, expected] of pattern) {
    test(`default pattern: ${topic} ${expected ? "is" : "is not"} a DLQ`, () => {
      assert.equal(DEFAULT_DLQ_TOPIC_PATTERN.test(topic), expected);
      assert.equal(extract(topic, {}).isDlq, expected);
    });
  }
});
