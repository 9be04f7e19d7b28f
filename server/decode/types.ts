// Shapes shared by the decode stage's parts. The stage itself is server/decode/decode-records.ts.
import type { SchemaFormat } from "../extract/types";

/** A schema as the registry answers `GET /schemas/ids/{id}` (Confluent's REST API). */
export interface RegistrySchema {
  schema: string;
  /** AVRO when absent, as Confluent's registry omits it for Avro. */
  schemaType?: string;
  references?: Array<{ name: string; subject: string; version: number }>;
}

export interface SubjectVersion {
  subject: string;
  version: number;
}

/**
 * Where schemas come from: the HTTP registry client, or an in-memory map in unit tests. A
 * method throws SchemaNotFound when the registry answered that it has no such schema, and any
 * other error when it could not answer.
 */
export interface SchemaSource {
  byId(id: number): Promise<RegistrySchema>;
  /** Confluent's schema GUID (IDs carried in `__value_schema_id` headers as magic 1 + 16 bytes). */
  byGuid(guid: string): Promise<RegistrySchema>;
  /** Apicurio's globalId (its serializers' default in `apicurio.value.globalId` headers). */
  byApicurioGlobalId(id: number): Promise<RegistrySchema>;
  subjectVersion(subject: string, version: number): Promise<RegistrySchema>;
  /** Subjects and versions registered with this ID; [] when the registry cannot say. */
  versionsOfId(id: number): Promise<SubjectVersion[]>;
}

export class SchemaNotFound extends Error {}

/** Which schema a record side names, and how its bytes start. */
export type SchemaRef =
  | { kind: "id"; id: number }
  | { kind: "guid"; guid: string }
  | { kind: "apicurio-global"; id: number };

export function refKey(ref: SchemaRef): string {
  return ref.kind === "guid" ? `guid:${ref.guid}` : `${ref.kind}:${ref.id}`;
}

/** A compiled writer schema: turns the bytes after the wire-format prefix into a JSON-compatible value. */
export interface Codec {
  format: SchemaFormat;
  subject?: string;
  version?: number;
  /** Decodes a located side (wire.ts) to a JSON-compatible value; throws on bytes that do not match. */
  decode(side: { body: Uint8Array; headerIndexes?: Uint8Array; apicurio?: boolean; avroJson?: boolean; protobufType?: string }): { value: unknown; messageType?: string };
}

/** Health view of one registry URL; `url` and `lastError` never carry credentials. */
export interface RegistryUrlState {
  url: string;
  ok: boolean | null;
  lastAnsweredAt: string | null;
  lastCheckedAt: string | null;
  lastError: string | null;
}
