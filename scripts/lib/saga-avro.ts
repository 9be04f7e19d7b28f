// payment-service in Avro: once the demo's Schema Registry is up, the payment answers and refunds
// go out in Confluent wire format (magic 0, 4-byte schema id, Avro binary), as half the Kafka
// estates on-call engineers meet encode them. Until then, and for a record the schema cannot
// hold (the "unreadable" locale amount the Spring consumer dead-letters), they stay JSON.
import avro from "avsc";
import { TOPICS } from "./saga-events";

export const PAYMENT_TOPICS: readonly string[] = [TOPICS.payments, TOPICS.refunds];

export const PAYMENT_SCHEMA = {
  type: "record",
  name: "PaymentEvent",
  namespace: "com.shop.payments",
  fields: [
    { name: "eventId", type: "string" },
    { name: "correlationId", type: "string" },
    { name: "causationId", type: ["null", "string"], default: null },
    { name: "orderId", type: "string" },
    { name: "amount", type: { type: "bytes", logicalType: "decimal", precision: 12, scale: 2 } },
    { name: "currency", type: "string" },
    { name: "processedAt", type: { type: "long", logicalType: "timestamp-millis" } },
    { name: "paymentId", type: ["null", "string"], default: null },
    { name: "reason", type: ["null", "string"], default: null },
  ],
} as const;

const paymentType = avro.Type.forSchema(PAYMENT_SCHEMA as unknown as avro.Schema);

/** Two's-complement big-endian bytes of the amount in cents: Avro's decimal. */
export function decimalBytes(amount: number, scale = 2): Buffer {
  let n = BigInt(Math.round(amount * 10 ** scale));
  const bytes: number[] = [];
  for (;;) {
    const b = Number(n & 0xffn);
    bytes.unshift(b);
    n >>= 8n;
    // Done once the rest is pure sign extension of the byte just written.
    if ((n === 0n && b < 0x80) || (n === -1n && b >= 0x80)) break;
  }
  return Buffer.from(bytes);
}

type PaymentJson = Record<string, unknown>;

/** The wire-format bytes of a payment event, or null when the event does not fit the schema. */
export function encodePayment(schemaId: number, json: PaymentJson): Buffer | null {
  if (typeof json.amount !== "number" || typeof json.processedAt !== "string") return null;
  const record = {
    eventId: json.eventId,
    correlationId: json.correlationId,
    causationId: json.causationId ?? null,
    orderId: json.orderId,
    amount: decimalBytes(json.amount),
    currency: json.currency,
    processedAt: Date.parse(json.processedAt),
    paymentId: json.paymentId ?? null,
    reason: json.reason ?? null,
  };
  if (!paymentType.isValid(record)) return null;
  const prefix = Buffer.alloc(5);
  prefix.writeUInt32BE(schemaId, 1);
  return Buffer.concat([prefix, paymentType.toBuffer(record)]);
}

/** Registers the schema under each payment topic's value subject (TopicNameStrategy); topic → schema id. */
export async function registerPaymentSchema(registryUrl: string): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (const topic of PAYMENT_TOPICS) {
    const res = await fetch(`${registryUrl}/subjects/${encodeURIComponent(`${topic}-value`)}/versions`, {
      method: "POST",
      headers: { "content-type": "application/vnd.schemaregistry.v1+json" },
      body: JSON.stringify({ schema: JSON.stringify(PAYMENT_SCHEMA) }),
      signal: AbortSignal.timeout(10_000),
    });
    const body = (await res.json().catch(() => ({}))) as { id?: unknown };
    if (!res.ok || typeof body.id !== "number") throw new Error(`registering ${topic}-value answered ${res.status}`);
    ids.set(topic, body.id);
  }
  return ids;
}
