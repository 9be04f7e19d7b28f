// Shared by the registry tests: the Schema Registry that `npm test` started (SCHEMA_REGISTRY_URL,
// Apicurio Registry's Confluent-compatible API), registries of a test's own (to stop and restart
// mid-test), the ccompat API, and a real Java serializer (Apicurio's Kafka serdes in Confluent's
// wire format) to produce Avro, Protobuf and JSON Schema records as a Java service would.
//
// What Apicurio 2.4.2's serializers write (measured; see scripts/java/serde-producer):
//   Avro:        00 | id (4 bytes, big-endian) | Avro binary
//   JSON Schema: 00 | id | UTF-8 JSON
//   Protobuf:    00 | id | varint length | Ref { string name = 1 } | message
//                — NOT Confluent's message indexes: the message's simple name, length-delimited.
// The id is the content id, which is what the ccompat API's /schemas/ids/{id} serves.
import { join } from "node:path";
import {
  runJavaSerde,
  startRegistry,
  type RegistryOptions,
  type SchemaRegistry,
  type SerdeResult,
  type SerdeSpec,
} from "../../scripts/lib/schema-registry";
import { brokers, requireEnv, tempDir } from "./harness";

export { startRegistry, type SchemaRegistry } from "../../scripts/lib/schema-registry";

/** The ccompat base URL of the run's registry, e.g. http://127.0.0.1:PORT/apis/ccompat/v7. */
export const registryUrl = () => requireEnv("SCHEMA_REGISTRY_URL");

export type JavaSerdeSpec = Omit<SerdeSpec, "registryUrl" | "bootstrapServers" | "mode"> & {
  /** Default: the run's registry. */
  registryUrl?: string;
  /** Default: the run's broker. */
  bootstrapServers?: string;
};

export interface ProducedRecord {
  /** Set when produced to Kafka. */
  partition?: number;
  offset?: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, Buffer | null>;
  /** The 4-byte id after the magic byte of the value, or null when the value is not in wire format. */
  schemaId: number | null;
  keySchemaId: number | null;
}

/** Magic byte 0 + 4-byte big-endian schema id → the id; null for anything else. */
export function wireSchemaId(buf: Buffer | null): number | null {
  if (!buf || buf.length < 5 || buf[0] !== 0) return null;
  return buf.readInt32BE(1);
}

function toRecords(r: SerdeResult): ProducedRecord[] {
  const buf = (hex: string | null) => (hex === null ? null : Buffer.from(hex, "hex"));
  return r.records.map((rec) => {
    const value = buf(rec.valueHex);
    const key = buf(rec.keyHex);
    return {
      ...(rec.partition !== undefined ? { partition: rec.partition, offset: rec.offset } : {}),
      key,
      value,
      headers: Object.fromEntries(Object.entries(rec.headers).map(([k, v]) => [k, buf(v)])),
      schemaId: wireSchemaId(value),
      keySchemaId: wireSchemaId(key),
    };
  });
}

function fill(spec: JavaSerdeSpec, mode: "produce" | "serialize"): SerdeSpec {
  return {
    ...spec,
    mode,
    registryUrl: spec.registryUrl ?? registryUrl(),
    ...(mode === "produce" ? { bootstrapServers: spec.bootstrapServers ?? brokers() } : {}),
  };
}

const quiet = (line: string) => console.log(`[registry-lib] ${line}`);

/**
 * Produces records to Kafka with Apicurio's Java serializers (Confluent wire format: magic byte,
 * 4-byte content id, no id headers unless `apicurioHeaders`); the schema is registered under
 * TOPIC-value (TOPIC-key) on the way, as a Java producer with auto-registration would.
 * The topic must exist. Returns the bytes sent and where they landed.
 */
export async function produceWithJavaSerde(spec: JavaSerdeSpec): Promise<ProducedRecord[]> {
  return toRecords(await runJavaSerde(fill(spec, "produce"), quiet));
}

/** Several specs in one JVM (faster than one call each). */
export async function produceAllWithJavaSerde(specs: JavaSerdeSpec[]): Promise<ProducedRecord[][]> {
  return (await runJavaSerde(specs.map((s) => fill(s, "produce")), quiet)).map(toRecords);
}

/** The same serializers without Kafka: registers the schema and returns the bytes (fixtures). */
export async function serializeWithJavaSerde(spec: JavaSerdeSpec): Promise<ProducedRecord[]> {
  return toRecords(await runJavaSerde(fill(spec, "serialize"), quiet));
}

/** A JSON call to the ccompat API; throws with the status and body on anything but 2xx. */
export async function ccompat<T>(path: string, init: RequestInit = {}, base = registryUrl()): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    ...init,
    headers: { "content-type": "application/vnd.schemaregistry.v1+json", ...(init.headers ?? {}) },
    signal: init.signal ?? AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${init.method ?? "GET"} ${path}: HTTP ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

export interface RegisteredSchema {
  schema: string;
  /** Absent for Avro, as in Confluent's API. */
  schemaType?: "AVRO" | "PROTOBUF" | "JSON";
  references?: Array<{ name: string; subject: string; version: number }>;
}

/** Registers a schema under a subject through the ccompat API; returns its id. */
export async function registerSchema(
  subject: string,
  schema: string,
  schemaType: "AVRO" | "PROTOBUF" | "JSON" = "AVRO",
  base = registryUrl(),
): Promise<number> {
  const body = schemaType === "AVRO" ? { schema } : { schema, schemaType };
  const res = await ccompat<{ id: number }>(`/subjects/${encodeURIComponent(subject)}/versions`, { method: "POST", body: JSON.stringify(body) }, base);
  return res.id;
}

export function schemaById(id: number, base = registryUrl()): Promise<RegisteredSchema> {
  return ccompat<RegisteredSchema>(`/schemas/ids/${id}`, {}, base);
}

/** A registry of the test's own (to stop mid-test), its log in the run's work folder. Stop it in `after`. */
export function startTestRegistry(opts: Omit<RegistryOptions, "logFile"> = {}): Promise<SchemaRegistry> {
  return startRegistry({ logFile: join(tempDir("registry-"), "registry.log"), log: quiet, ...opts });
}

// ---------------------------------------------------------------------------------------------
// Sample schemas (for this test and others): an Avro payment with logical types and a union,
// a .proto with several message types (nested, a non-first top-level type, an enum, an import of
// a well-known type), and a JSON Schema.

export const SAMPLE_AVRO_SCHEMA = JSON.stringify({
  type: "record",
  name: "PaymentCompleted",
  namespace: "dev.flowtap.demo",
  fields: [
    { name: "eventId", type: { type: "string", logicalType: "uuid" } },
    { name: "correlationId", type: "string" },
    { name: "amount", type: { type: "bytes", logicalType: "decimal", precision: 12, scale: 2 } },
    { name: "currency", type: "string" },
    { name: "completedAt", type: { type: "long", logicalType: "timestamp-millis" } },
    { name: "note", type: ["null", "string"], default: null },
  ],
});

export const SAMPLE_AVRO_VALUE = {
  eventId: "0b7c3c52-6f5e-4a53-9a55-3f1f0c9e2a10",
  correlationId: "order-1001",
  amount: "129.90",
  currency: "EUR",
  completedAt: "2024-05-01T14:02:03.250Z",
  note: "first",
};

export const SAMPLE_PROTO = `syntax = "proto3";
package flowtap.demo;

import "google/protobuf/timestamp.proto";

message Envelope {
  string correlation_id = 1;
}

message PaymentCompleted {
  message Amount {
    int64 units = 1;
    string currency = 2;
  }
  string payment_id = 1;
  string correlation_id = 2;
  Amount amount = 3;
  google.protobuf.Timestamp completed_at = 4;
  Status status = 5;
}

enum Status {
  STATUS_UNKNOWN = 0;
  STATUS_OK = 1;
}

message Refund {
  string refund_id = 1;
}
`;

/** A PaymentCompleted (the second top-level message), in protobuf's JSON mapping. */
export const SAMPLE_PROTO_VALUE = {
  paymentId: "pay-1",
  correlationId: "order-1001",
  amount: { units: "12990", currency: "EUR" },
  completedAt: "2024-05-01T14:02:03.250Z",
  status: "STATUS_OK",
};

export const SAMPLE_JSON_SCHEMA = JSON.stringify({
  $schema: "http://json-schema.org/draft-07/schema#",
  title: "OrderPlaced",
  type: "object",
  properties: {
    orderId: { type: "string" },
    correlationId: { type: "string" },
    total: { type: "number" },
  },
  required: ["orderId", "correlationId"],
});

export const SAMPLE_JSON_VALUE = { orderId: "o-1001", correlationId: "order-1001", total: 129.9 };
