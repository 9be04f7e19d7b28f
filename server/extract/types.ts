// Plain data in, plain data out: the shapes the extractor works on.
// Nothing here knows about kafkajs or the database.

/** A header value as Kafka clients hand it over; kafkajs gives an array when a header repeats. */
export type RawHeaderValue = Uint8Array | string | null | undefined | Array<Uint8Array | string | null | undefined>;

/** One Kafka record, decoded only as far as the wire format goes. */
export interface RawRecord {
  topic: string;
  partition: number;
  /** 64-bit offset as a decimal string. */
  offset: string;
  /** Record timestamp, milliseconds since the epoch as a decimal string (what kafkajs gives). */
  timestamp: string;
  key: Uint8Array | null;
  headers: Record<string, RawHeaderValue>;
  value: Uint8Array | null;
}

/** Bytes that are not valid UTF-8 (or contain NUL) travel as base64. */
export interface Base64Value {
  base64: string;
}

export type HeaderText = string | Base64Value;

/** Where a rule looks: a header name (case-insensitive) or a dotted JSON path into the value. */
export type FieldRule = { header: string } | { path: string };

export interface DeadLetterOrigin {
  /** Which convention matched: "spring-dlt", "spring-retry", "scs", "connect", "streams", "karafka", "laravel", "name". */
  family: string;
  sourceTopic: string | null;
  sourcePartition: number | null;
  /** Decimal string (64-bit). */
  sourceOffset: string | null;
  /** ISO 8601 time of the original record, where the convention carries it (Spring DLT). */
  sourceTimestamp?: string | null;
  errorClass: string | null;
  errorMessage: string | null;
  stacktrace: string | null;
  failedGroup: string | null;
  /** Retry attempt count where the convention carries one. */
  attempts: number | null;
}

export interface ExtractConfig {
  /** Rules tried before the built-in conventions, in order. */
  correlationRules: FieldRule[];
  causationRules: FieldRule[];
  eventIdRules: FieldRule[];
  eventTypeRules: FieldRule[];
  serviceRules: FieldRule[];
  /** A topic whose name matches is a dead-letter topic. */
  dlqTopicPattern: RegExp;
  /** Display cap for the value, in bytes of its UTF-8 (or raw) form. */
  valueCapBytes: number;
  /** Identifier fields (correlation id, key, event id ...) are cut to this many characters. */
  idMaxChars: number;
  /** Parsed JSON deeper than this is kept as text, not as JSON. */
  maxJsonDepth: number;
}

export type ValueKind = "json" | "text" | "binary" | "null";

export type SchemaFormat = "avro" | "protobuf" | "json-schema";

/** How one side (value or key) of a record was written by a Schema Registry serializer. */
export interface SchemaEncoding {
  format: SchemaFormat;
  /** The registry's schema ID (Confluent ID; Apicurio contentId or globalId, see idKind). */
  schemaId?: number;
  /** Confluent's schema GUID, when the ID travelled in a `__value_schema_id` header as one. */
  schemaGuid?: string;
  /** Where the ID came from when not the usual 5-byte prefix: a header, or an Apicurio header's id kind. */
  idSource?: "header" | "apicurio-content-id" | "apicurio-global-id";
  subject?: string;
  version?: number;
  /** Protobuf only: the fully qualified message type the message indexes selected. */
  messageType?: string;
}

/** What the events.encoding column holds: the value's encoding (when it is wire format) plus `key`. */
export type RecordEncoding = Partial<SchemaEncoding> & { key?: SchemaEncoding };

/**
 * One side of a record as the decode stage (server/decode) left it: decoded to a JSON-compatible
 * value, or why not. `encoding` is null when not even the schema's format could be learned.
 */
export type SchemaDecoded =
  | { ok: true; value: unknown; encoding: SchemaEncoding }
  | { ok: false; error: string; encoding: SchemaEncoding | null };

/** Decode results for a record; a side is absent when it is not in a registry wire format. */
export interface DecodedRecord {
  value?: SchemaDecoded;
  key?: SchemaDecoded;
}

/** Everything the index stores about one record. All strings are safe for PostgreSQL text/jsonb (no NUL, no lone surrogates). */
export interface ExtractedRecord {
  topic: string;
  partition: number;
  offset: string;
  /** ISO 8601. */
  timestamp: string;
  /** UTF-8 key, or the base64 of a binary key (keyBinary = true); capped at idMaxChars. */
  key: string | null;
  keyBinary: boolean;
  correlationId: string | null;
  /** True when no correlation id was found and the trace id stands in for it. */
  correlationFromTrace: boolean;
  traceId: string | null;
  causationId: string | null;
  eventId: string | null;
  eventType: string | null;
  eventVersion: string | null;
  service: string | null;
  /** name (as sent) → text; repeated headers keep the last value. */
  headers: Record<string, HeaderText>;
  valueKind: ValueKind;
  /**
   * What the index shows, as JSON text: the payload's own text when it is JSON that needed no
   * cleaning (key order and spacing as sent); else the cleaned JSON, the text as a JSON string,
   * { "base64": … }, a text prefix when truncated, or null for a tombstone.
   */
  valueJson: string;
  valueTruncated: boolean;
  /** Size of the raw value in bytes (0 for a tombstone). */
  size: number;
  tombstone: boolean;
  /** True when the topic is a dead-letter topic by name or its record carries origin headers. */
  isDlq: boolean;
  dlq: DeadLetterOrigin | null;
  /** What was changed so the index can hold the record (clamped timestamp, dropped number, cut headers); usually empty. */
  anomalies: string[];
  /** Schema Registry wire format of the value and/or key; null for plain records. */
  encoding: RecordEncoding | null;
  /** Why a wire-format value (or key) could not be decoded; the value is then stored as binary. */
  decodeError: string | null;
}
