// The demo traffic's pure parts: wire encodings, trace context, the saga's branches, and that
// Flowtap's own extractor reads what the simulated services write.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseConfig } from "../../server/config";
import { defaultExtractConfig, extractRecord, type ExtractedRecord } from "../../server/extract";
import {
  chooseFaults, chooseOutcome, laravelDeadLetter, newSaga, sagaEvent, sagaSteps, springDeadLetter, stepDelayMs,
  type EventStep, type Outcome, type SagaMessage, type Step,
} from "../../scripts/lib/saga-events";
import { childSpan, int32BE, int64BE, newCorrelationId, newTrace, randomUuid, traceparent, type Rand } from "../../scripts/lib/saga-wire";

/** mulberry32: a small seeded generator, so every run draws the same numbers. */
function seeded(seed: number): Rand {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sequence = (...values: number[]): Rand => {
  let i = 0;
  return () => values[i++ % values.length] ?? 0;
};

/** The record as a consumer (the tap) gets it back: every header as bytes. */
function consumed(msg: SagaMessage, partition = 0, offset = "0"): ExtractedRecord {
  const headers = Object.fromEntries(Object.entries(msg.headers).map(([k, v]) => [k, typeof v === "string" ? Buffer.from(v, "utf8") : v]));
  return extractRecord(
    { topic: msg.topic, partition, offset, timestamp: msg.timestamp, key: Buffer.from(msg.key), headers, value: Buffer.from(msg.value) },
    defaultExtractConfig(),
  );
}

const TERMINAL = parseConfig({}).terminalEvents;
const NOW = new Date("2025-03-01T12:00:00.000Z");

describe("Spring dead-letter integers", () => {
  test("int32BE writes 4 big-endian bytes and rejects what Java's int cannot hold", () => {
    assert.deepEqual([...int32BE(2)], [0, 0, 0, 2]);
    assert.deepEqual([...int32BE(0x01020304)], [1, 2, 3, 4]);
    assert.deepEqual([...int32BE(-1)], [0xff, 0xff, 0xff, 0xff]);
    assert.throws(() => int32BE(2 ** 31), RangeError);
    assert.throws(() => int32BE(1.5), RangeError);
  });

  test("int64BE writes 8 big-endian bytes from a string offset beyond 2^53", () => {
    assert.deepEqual([...int64BE("12345")], [0, 0, 0, 0, 0, 0, 0x30, 0x39]);
    assert.deepEqual([...int64BE("9223372036854775807")], [0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
    assert.deepEqual([...int64BE(0x0102030405060708n)], [1, 2, 3, 4, 5, 6, 7, 8]);
    assert.throws(() => int64BE(2n ** 63n), RangeError);
  });
});

describe("ids and trace context", () => {
  test("correlation and event ids have their documented shapes", () => {
    const rand = seeded(1);
    assert.match(newCorrelationId(rand), /^ord-[0-9a-f]{8}$/);
    assert.match(randomUuid(rand), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(newCorrelationId(() => 0.999999), "ord-ffffffff");
  });

  test("a child span keeps the trace, gets a new span id, and the header is W3C traceparent", () => {
    const root = newTrace(seeded(7));
    const child = childSpan(root, seeded(8));
    assert.equal(child.traceId, root.traceId);
    assert.notEqual(child.spanId, root.spanId);
    assert.match(traceparent(child), new RegExp(`^00-${root.traceId}-[0-9a-f]{16}-01$`));
    assert.equal(traceparent(child).split("-")[2], child.spanId);
  });

  test("ids are never all zeros (invalid in W3C trace context), even when rand is", () => {
    const zero = () => 0;
    const root = newTrace(zero);
    assert.doesNotMatch(root.traceId, /^0+$/);
    assert.doesNotMatch(root.spanId, /^0+$/);
    assert.notEqual(childSpan(root, zero).spanId, root.spanId);
  });
});

describe("saga branches", () => {
  test("a random number picks the branch from fixed bands", () => {
    const cases: Array<[number, Outcome]> = [
      [0, "dlq-laravel"], [0.0299, "dlq-laravel"], [0.03, "dlq-spring"], [0.0599, "dlq-spring"],
      [0.06, "payment-failed"], [0.1999, "payment-failed"], [0.2, "compensated"], [0.2799, "compensated"],
      [0.28, "completed"], [0.9999, "completed"],
    ];
    for (const [r, outcome] of cases) assert.equal(chooseOutcome(r), outcome, `r=${r}`);
  });

  test("about 85% of orders are paid and about 10% of those fail at inventory", () => {
    const counts = new Map<Outcome, number>();
    for (let i = 0; i < 10_000; i++) {
      const o = chooseOutcome((i + 0.5) / 10_000);
      counts.set(o, (counts.get(o) ?? 0) + 1);
    }
    const n = (o: Outcome) => counts.get(o) ?? 0;
    const paid = n("completed") + n("compensated") + n("dlq-spring");
    assert.ok(paid >= 8000 && paid <= 8800, `paid ${paid}`);
    const compensatedShare = n("compensated") / (n("completed") + n("compensated"));
    assert.ok(compensatedShare > 0.08 && compensatedShare < 0.12, `compensated ${compensatedShare}`);
  });

  test("the demo's fault: inventory drops ≈25 % of orders (they stop after the payment), fails ≈16 %, and slows to 2.5–6 s", () => {
    const counts = new Map<Outcome, number>();
    for (let i = 0; i < 10_000; i++) {
      const o = chooseOutcome((i + 0.5) / 10_000, true);
      counts.set(o, (counts.get(o) ?? 0) + 1);
    }
    const n = (o: Outcome) => counts.get(o) ?? 0;
    assert.equal(n("inventory-timeout"), 2100);
    assert.equal(n("compensated"), 1600);
    assert.equal([...Array(10_000).keys()].filter((i) => chooseOutcome((i + 0.5) / 10_000) === "inventory-timeout").length, 0);
    assert.deepEqual(sagaSteps("inventory-timeout", { duplicate: false, outOfOrder: false }), ["OrderCreated", "PaymentProcessed"]);
    const rand = seeded(3);
    for (let i = 0; i < 200; i++) {
      const slow = stepDelayMs("InventoryReserved", rand, true);
      assert.ok(slow >= 2500 && slow <= 6000, `faulty ${slow}`);
      const normal = stepDelayMs("InventoryReserved", rand);
      assert.ok(normal >= 300 && normal <= 1000, `normal ${normal}`);
      // Other services keep their pace under the fault.
      const pay = stepDelayMs("PaymentProcessed", rand, true);
      assert.ok(pay >= 300 && pay <= 1200, `payment ${pay}`);
    }
  });

  test("faults come from their own draws", () => {
    assert.deepEqual(chooseFaults(sequence(0.01, 0.5)), { duplicate: true, outOfOrder: false });
    assert.deepEqual(chooseFaults(sequence(0.5, 0.01)), { duplicate: false, outOfOrder: true });
  });

  const none = { duplicate: false, outOfOrder: false };
  const terminal = (steps: Step[]) => steps.filter((s) => TERMINAL.test(s));

  test("completed and compensated sagas end with a terminal event and an email", () => {
    assert.deepEqual(sagaSteps("completed", none), ["OrderCreated", "PaymentProcessed", "InventoryReserved", "OrderCompleted", "EmailSent"]);
    assert.deepEqual(sagaSteps("compensated", none), [
      "OrderCreated", "PaymentProcessed", "InventoryReservationFailed", "RefundPayment", "OrderCancelled", "EmailSent",
    ]);
    assert.deepEqual(terminal(sagaSteps("payment-failed", none)), ["OrderCancelled"]);
  });

  test("a dead-lettered saga stops at the dead letter, with no terminal event", () => {
    for (const outcome of ["dlq-laravel", "dlq-spring"] as const) {
      const steps = sagaSteps(outcome, { duplicate: true, outOfOrder: true });
      assert.match(steps.at(-1) ?? "", /DeadLetter$/, outcome);
      assert.deepEqual(terminal(steps), [], outcome);
    }
  });

  test("faults insert a duplicate after the payment answer and version 3 before version 2", () => {
    const steps = sagaSteps("completed", { duplicate: true, outOfOrder: true });
    assert.deepEqual(steps.slice(0, 5), ["OrderCreated", "OrderUpdatedV3", "OrderUpdatedV2", "PaymentProcessed", "Duplicate"]);
    assert.deepEqual(sagaSteps("dlq-laravel", { duplicate: true, outOfOrder: false }), ["OrderCreated", "Duplicate", "LaravelDeadLetter"]);
  });
});

describe("what the services write, read back by the extractor", () => {
  function run(outcome: Outcome, seed: number): Array<{ msg: SagaMessage; rec: ExtractedRecord }> {
    const rand = seeded(seed);
    const saga = newSaga(rand);
    const steps = sagaSteps(outcome, { duplicate: false, outOfOrder: true });
    const events = steps.filter((s): s is EventStep => s !== "Duplicate" && !s.endsWith("DeadLetter"));
    assert.equal(events.length, steps.length);
    return events.map((step) => {
      const msg = sagaEvent(saga, step, NOW, rand);
      return { msg, rec: consumed(msg) };
    });
  }

  test("every event of a compensated saga has the saga's correlation id, an event id and one trace", () => {
    const events = run("compensated", 42);
    const first = events[0]!.rec;
    assert.match(first.correlationId ?? "", /^ord-[0-9a-f]{8}$/);
    for (const { rec } of events) {
      assert.equal(rec.correlationId, first.correlationId, rec.eventType ?? "");
      assert.equal(rec.correlationFromTrace, false);
      assert.ok(rec.eventId, `${rec.eventType} has an event id`);
      assert.equal(rec.traceId, first.traceId);
    }
    assert.equal(new Set(events.map((e) => e.rec.eventId)).size, events.length, "event ids are unique");
    assert.deepEqual(events.map((e) => e.rec.service), [
      "order-service", "order-service", "order-service", "payment-service", "inventory-service", "payment-service", "order-service", "notification-service",
    ]);
    assert.deepEqual(events.map((e) => e.rec.eventVersion).slice(0, 3), ["1", "3", "2"]);
  });

  test("payment answers the order (CloudEvents binary), refunds and cancels follow their causes", () => {
    const events = run("compensated", 3);
    const byType = (t: string) => events.find((e) => e.rec.eventType === t)!;
    const payment = byType("PaymentProcessed");
    assert.equal(payment.msg.headers.ce_specversion, "1.0");
    assert.equal(payment.msg.headers.ce_id, payment.rec.eventId);
    assert.equal(payment.rec.causationId, byType("OrderCreated").rec.eventId);
    assert.equal(byType("RefundPayment").rec.causationId, byType("InventoryReservationFailed").rec.eventId);
    assert.equal(byType("OrderCancelled").rec.causationId, byType("RefundPayment").rec.eventId);
    const email = byType("EmailSent");
    assert.equal(email.msg.headers["X-Correlation-ID"], undefined, "the email's correlation is only in metadata");
    assert.equal(email.rec.causationId, byType("OrderCancelled").rec.eventId);
  });

  test("the Spring DLT record points back at the original partition, offset and timestamp", () => {
    const rand = seeded(5);
    const saga = newSaga(rand);
    sagaEvent(saga, "OrderCreated", NOW, rand);
    const original = sagaEvent(saga, "PaymentProcessedUnreadable", NOW, rand);
    assert.equal(typeof JSON.parse(original.value).amount, "string", "the poison amount is unreadable as a number");
    const record = springDeadLetter(original, { partition: 2, offset: "9007199254740993" }, new Date(NOW.getTime() + 1500));
    // Binary as Spring writes them, not decimal text (which the extractor would also accept).
    assert.deepEqual(record.headers["kafka_dlt-original-partition"], Buffer.from([0, 0, 0, 2]));
    assert.deepEqual(record.headers["kafka_dlt-original-offset"], Buffer.from("0020000000000001", "hex"));
    assert.equal(record.headers["kafka_dlt-original-timestamp"]?.length, 8);
    const dlt = consumed(record, 1, "7");
    assert.equal(dlt.topic, "payments.completed.DLT");
    assert.equal(dlt.correlationId, saga.correlationId);
    assert.equal(dlt.dlq?.family, "spring-dlt");
    assert.equal(dlt.dlq?.sourceTopic, "payments.completed");
    assert.equal(dlt.dlq?.sourcePartition, 2);
    assert.equal(dlt.dlq?.sourceOffset, "9007199254740993");
    assert.equal(dlt.dlq?.sourceTimestamp, NOW.toISOString());
    assert.equal(dlt.dlq?.failedGroup, "inventory-service");
    assert.equal(dlt.dlq?.errorClass, "com.fasterxml.jackson.databind.exc.InvalidFormatException");
  });

  test("the laravel dead letter keeps the order's headers and adds the throwable", () => {
    const rand = seeded(9);
    const saga = newSaga(rand);
    const order = sagaEvent(saga, "OrderCreated", NOW, rand);
    const dead = consumed(laravelDeadLetter(order, NOW));
    assert.equal(dead.topic, "payments.failed.dlq");
    assert.equal(dead.isDlq, true);
    assert.equal(dead.dlq?.family, "laravel");
    assert.equal(dead.dlq?.errorClass, "Illuminate\\Database\\QueryException");
    assert.equal(dead.correlationId, saga.correlationId);
    assert.equal(dead.eventId, consumed(order).eventId);
  });
});
