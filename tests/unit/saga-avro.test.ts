// The demo's payment-service in Avro, read back through Flowtap's own decode stage and extractor:
// what the demo shows must be what the tap really does with wire-format records.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { defaultExtractConfig, extractRecord } from "../../server/extract";
import { decimalBytes, encodePayment, PAYMENT_SCHEMA } from "../../scripts/lib/saga-avro";
import { decoderFor, MemoryRegistry, record } from "./decode-helpers";

const payment = {
  eventId: "9f1c2a6e-4d7b-4c1e-9a55-0e6f3b1d2c4a",
  correlationId: "ord-1a2b3c4d",
  causationId: "5b0e8c1d-1111-4222-8333-944455556666",
  orderId: "482913",
  amount: 123.45,
  currency: "EUR",
  processedAt: "2026-11-30T14:02:00.000Z",
  paymentId: "pay_0123456789ab",
};

test("decimalBytes writes Avro's two's-complement big-endian decimal, shortest form", () => {
  assert.deepEqual([...decimalBytes(123.45)], [0x30, 0x39]);
  assert.deepEqual([...decimalBytes(1.27)], [0x7f]);
  assert.deepEqual([...decimalBytes(1.28)], [0x00, 0x80]);
  assert.deepEqual([...decimalBytes(-1.28)], [0x80]);
  assert.deepEqual([...decimalBytes(0)], [0x00]);
});

test("a payment in Avro decodes to the same fields, and the tap finds its ids inside", async () => {
  const bytes = encodePayment(7, payment);
  assert.ok(bytes);
  assert.deepEqual([...bytes.subarray(0, 5)], [0, 0, 0, 0, 7]);
  const registry = new MemoryRegistry().add(7, { schema: JSON.stringify(PAYMENT_SCHEMA), schemaType: "AVRO" }, { subject: "payments.completed-value", version: 1 });
  const raw = record(bytes, { topic: "payments.completed", headers: { ce_type: "PaymentProcessed", ce_source: "payment-service" } });
  const [decoded] = await decoderFor(registry)([raw]);
  const out = extractRecord(raw, defaultExtractConfig(), decoded);
  assert.equal(out.decodeError, null);
  assert.equal(out.encoding?.format, "avro");
  assert.equal(out.encoding?.schemaId, 7);
  assert.equal(out.correlationId, "ord-1a2b3c4d");
  assert.equal(out.eventId, payment.eventId);
  assert.equal(out.eventType, "PaymentProcessed");
  const value = JSON.parse(out.valueJson) as Record<string, unknown>;
  assert.equal(value.amount, "123.45");
  assert.equal(value.causationId, payment.causationId);
  assert.match(String(value.processedAt), /^2026-11-30T14:02:00(\.000)?Z$/);
});

test("an event the schema cannot hold (the locale amount the Spring consumer dead-letters) stays JSON", () => {
  assert.equal(encodePayment(7, { ...payment, amount: "123,45" }), null);
  assert.equal(encodePayment(7, { ...payment, processedAt: undefined }), null);
});

test("amounts round-trip exactly through the decimal bytes (cents, sign, size)", async () => {
  const registry = new MemoryRegistry().add(3, { schema: JSON.stringify(PAYMENT_SCHEMA), schemaType: "AVRO" });
  const decode = decoderFor(registry);
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: -99_999_999_999, max: 99_999_999_999 }), async (cents) => {
      const bytes = encodePayment(3, { ...payment, amount: cents / 100 });
      assert.ok(bytes);
      const [decoded] = await decode([record(bytes)]);
      assert.ok(decoded?.value?.ok);
      const value = decoded.value.value as { amount: string };
      const sign = cents < 0 ? "-" : "";
      const abs = Math.abs(cents);
      assert.equal(value.amount, `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`);
    }),
    { numRuns: 300 },
  );
});
