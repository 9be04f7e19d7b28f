// Decode cost per record: the decode stage + extractor on ~500-byte Avro and Protobuf records,
// beside the extractor alone on the same event as JSON. `node --import tsx scripts/decode-cost.ts`.
// Schemas come from an in-memory source (no registry): this measures decoding, not fetching.
import protobuf from "protobufjs";
import { createSchemaCache } from "../server/decode/schema-cache";
import { decodeRecords } from "../server/decode/decode-records";
import { SchemaNotFound, type RegistrySchema, type SchemaSource } from "../server/decode/types";
import { defaultExtractConfig, extractRecord, type RawRecord } from "../server/extract";
import { avroEncoder, wire } from "../tests/unit/decode-helpers";

const AVRO = {
  type: "record", name: "PaymentCompleted", namespace: "pay", fields: [
    { name: "eventId", type: "string" }, { name: "eventType", type: "string" }, { name: "correlationId", type: "string" },
    { name: "causationId", type: ["null", "string"] }, { name: "occurredAt", type: { type: "long", logicalType: "timestamp-millis" } },
    { name: "amount", type: { type: "bytes", logicalType: "decimal", precision: 12, scale: 2 } }, { name: "currency", type: "string" },
    { name: "customer", type: { type: "record", name: "Customer", fields: [{ name: "id", type: "string" }, { name: "email", type: "string" }, { name: "tier", type: { type: "enum", name: "Tier", symbols: ["FREE", "PRO", "ENTERPRISE"] } }] } },
    { name: "lines", type: { type: "array", items: { type: "record", name: "Line", fields: [{ name: "sku", type: "string" }, { name: "qty", type: "int" }, { name: "cents", type: "long" }] } } },
    { name: "meta", type: { type: "map", values: "string" } },
  ],
};
const PROTO = `syntax = "proto3"; package pay; import "google/protobuf/timestamp.proto";
message PaymentCompleted { string event_id = 1; string event_type = 2; string correlation_id = 3; string causation_id = 4;
  google.protobuf.Timestamp occurred_at = 5; int64 amount_cents = 6; string currency = 7; Customer customer = 8; repeated Line lines = 9; map<string, string> meta = 10;
  message Customer { string id = 1; string email = 2; Tier tier = 3; } message Line { string sku = 1; int32 qty = 2; int64 cents = 3; }
  enum Tier { FREE = 0; PRO = 1; ENTERPRISE = 2; } }`;

const schemas = new Map<number, RegistrySchema>([[1, { schema: JSON.stringify(AVRO) }], [2, { schema: PROTO, schemaType: "PROTOBUF" }]]);
const source: SchemaSource = {
  byId: async (id) => schemas.get(id) ?? Promise.reject(new SchemaNotFound(String(id))),
  byGuid: async () => Promise.reject(new SchemaNotFound("")),
  byApicurioGlobalId: async () => Promise.reject(new SchemaNotFound("")),
  subjectVersion: async () => Promise.reject(new SchemaNotFound("")),
  versionsOfId: async () => [],
};

const N = 20_000;
const lines = Array.from({ length: 3 }, (_, i) => ({ sku: `SKU-${1000 + i}`, qty: i + 1, cents: 1999 }));
const meta = { channel: "web", region: "eu-west-1", campaign: "spring-sale-2026" };
function event(i: number) {
  return {
    eventId: `evt-${i}-3f2a9c1e-5b7d-4e8f-a1c2-9d8e7f6a5b4c`, eventType: "PaymentCompleted", correlationId: `corr-${i % 1000}-8c1d2e3f-4a5b`,
    causationId: `evt-${i - 1}-3f2a9c1e`, occurredAt: 1777110759000 + i, currency: "EUR",
    customer: { id: `cust-${i % 5000}`, email: `customer${i % 5000}@example.com`, tier: "PRO" }, lines, meta,
  };
}
const rec = (value: Buffer, offset: number): RawRecord => ({ topic: "payments", partition: 0, offset: String(offset), timestamp: "1777110759000", key: Buffer.from(`k-${offset}`), headers: {}, value });

const avroEnc = avroEncoder(AVRO);
const root = protobuf.parse(PROTO, { keepCase: true }).root;
root.addJSON(protobuf.common.get("google/protobuf/timestamp.proto")!.nested!);
const Msg = root.lookupType("pay.PaymentCompleted");
const jsonRecs: RawRecord[] = [];
const avroRecs: RawRecord[] = [];
const protoRecs: RawRecord[] = [];
for (let i = 0; i < N; i++) {
  const e = event(i);
  jsonRecs.push(rec(Buffer.from(JSON.stringify({ ...e, amount: "123.45", occurredAt: new Date(e.occurredAt).toISOString() })), i));
  avroRecs.push(rec(wire(1, avroEnc.toBuffer({ ...e, occurredAt: BigInt(e.occurredAt), amount: Buffer.from([0x30, 0x39]), lines: lines.map((l) => ({ ...l, cents: BigInt(l.cents) })) })), i));
  const p = { event_id: e.eventId, event_type: e.eventType, correlation_id: e.correlationId, causation_id: e.causationId, occurred_at: { seconds: Math.floor(e.occurredAt / 1000), nanos: 0 },
    amount_cents: 12345, currency: "EUR", customer: { id: e.customer.id, email: e.customer.email, tier: 1 }, lines, meta };
  protoRecs.push(rec(wire(2, Buffer.from(Msg.encode(Msg.fromObject(p)).finish()), [0]), i));
}
const avg = (rs: RawRecord[]) => Math.round(rs.reduce((s, r) => s + r.value!.length, 0) / rs.length);

async function measure(label: string, recs: RawRecord[], decode: boolean): Promise<void> {
  const config = defaultExtractConfig();
  const cache = createSchemaCache(source, { maxEntries: 100, retryAfterMs: 30_000, maxDepth: 64 });
  const pass = async () => {
    for (let i = 0; i < recs.length; i += 500) {
      const batch = recs.slice(i, i + 500);
      const decoded = decode ? await decodeRecords(batch, { cache, waitMs: 2000 }) : null;
      for (let j = 0; j < batch.length; j++) extractRecord(batch[j]!, config, decoded?.[j]);
    }
  };
  await pass(); // warm: JIT and the schema cache
  const times: number[] = [];
  for (let k = 0; k < 5; k++) {
    const t0 = process.hrtime.bigint();
    await pass();
    times.push(Number(process.hrtime.bigint() - t0) / 1e3 / recs.length);
  }
  times.sort((a, b) => a - b);
  console.log(`${label.padEnd(34)} ${String(avg(recs)).padStart(4)} B   median ${times[2]!.toFixed(2)} µs/record   (${Math.round(1e6 / times[2]!).toLocaleString("en")} records/s on one core)`);
}

void (async () => {
  await measure("JSON, extractor only", jsonRecs, false);
  await measure("Avro, decode stage + extractor", avroRecs, true);
  await measure("Protobuf, decode stage + extractor", protoRecs, true);
})();
