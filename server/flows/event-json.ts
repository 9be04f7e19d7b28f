import "server-only";
// The API's Event shape, built from an events row selected with EVENT_COLUMNS.
import { sql } from "drizzle-orm";
import { isoTs } from "../db/sql";
import type { RecordEncoding, SchemaEncoding } from "../extract/types";

export interface DeadLetterJson {
  family: string | null;
  sourceTopic: string | null;
  sourcePartition: number | null;
  sourceOffset: string | null;
  errorClass: string | null;
  errorMessage: string | null;
  failedGroup: string | null;
  attempts: number | null;
  hasStacktrace: boolean;
}

export interface EventJson {
  topic: string;
  partition: number;
  offset: string;
  timestamp: string;
  key: string | { base64: string } | null;
  correlationId: string | null;
  correlationFromTrace: boolean;
  eventId: string | null;
  eventType: string | null;
  eventVersion: string | null;
  service: string | null;
  causationId: string | null;
  traceId: string | null;
  headers: Record<string, string | { base64: string }>;
  valueKind: "json" | "text" | "binary" | "null";
  value: unknown;
  truncated: boolean;
  size: number;
  tombstone: boolean;
  dlq: DeadLetterJson | null;
  /** What was changed so the index could hold the record (clamped time, cut headers, …); null when stored as read. */
  anomalies: string[] | null;
  /** How the value was written by a Schema Registry serializer (format, schema ID, subject, version); null for plain records and when not even the format could be learned. */
  encoding: SchemaEncoding | null;
  /** The same for the key. */
  keyEncoding: SchemaEncoding | null;
  /** Why a wire-format value (or key, "key: …") could not be decoded; the value is then binary. */
  decodeError: string | null;
  /** Set when the index holds the value as binary and this answer decoded it (server/decode/decode-on-read.ts). */
  decodedOnRead?: true;
}

export const EVENT_COLUMNS = sql`
  topic, partition, "offset"::text AS "offset", ${isoTs(sql`ts`)} AS ts, key, key_binary, correlation_id,
  correlation_from_trace, event_id, event_type, event_version, service, causation_id, trace_id, headers,
  value_kind, value, value_truncated, size, tombstone, is_dlq, dlq_family, dlq_source_topic,
  dlq_source_partition, dlq_source_offset::text AS dlq_source_offset, dlq_error_class, dlq_error_message,
  dlq_failed_group, dlq_attempts, dlq_stacktrace IS NOT NULL AS has_stacktrace, anomalies, encoding, decode_error`;

export type EventRow = {
  topic: string;
  partition: number;
  offset: string;
  ts: string;
  key: string | null;
  key_binary: boolean;
  correlation_id: string | null;
  correlation_from_trace: boolean;
  event_id: string | null;
  event_type: string | null;
  event_version: string | null;
  service: string | null;
  causation_id: string | null;
  trace_id: string | null;
  headers: Record<string, string | { base64: string }>;
  value_kind: EventJson["valueKind"];
  value: unknown;
  value_truncated: boolean;
  size: number;
  tombstone: boolean;
  is_dlq: boolean;
  dlq_family: string | null;
  dlq_source_topic: string | null;
  dlq_source_partition: number | null;
  dlq_source_offset: string | null;
  dlq_error_class: string | null;
  dlq_error_message: string | null;
  dlq_failed_group: string | null;
  dlq_attempts: number | null;
  has_stacktrace: boolean;
  anomalies: string[] | null;
  encoding: RecordEncoding | null;
  decode_error: string | null;
};

/** The column keeps the value's encoding at the top and the key's under `key`; the API splits them. */
function splitEncoding(e: RecordEncoding | null): { encoding: SchemaEncoding | null; keyEncoding: SchemaEncoding | null } {
  if (e === null || typeof e !== "object") return { encoding: null, keyEncoding: null };
  const { key, ...value } = e;
  return { encoding: value.format === undefined ? null : (value as SchemaEncoding), keyEncoding: key ?? null };
}

export function toEventJson(r: EventRow): EventJson {
  return {
    topic: r.topic,
    partition: r.partition,
    offset: r.offset,
    timestamp: r.ts,
    key: r.key === null ? null : r.key_binary ? { base64: r.key } : r.key,
    correlationId: r.correlation_id,
    correlationFromTrace: r.correlation_from_trace,
    eventId: r.event_id,
    eventType: r.event_type,
    eventVersion: r.event_version,
    service: r.service,
    causationId: r.causation_id,
    traceId: r.trace_id,
    headers: r.headers,
    valueKind: r.value_kind,
    value: r.value,
    truncated: r.value_truncated,
    size: r.size,
    tombstone: r.tombstone,
    dlq: r.is_dlq
      ? {
          family: r.dlq_family,
          sourceTopic: r.dlq_source_topic,
          sourcePartition: r.dlq_source_partition,
          sourceOffset: r.dlq_source_offset,
          errorClass: r.dlq_error_class,
          errorMessage: r.dlq_error_message,
          failedGroup: r.dlq_failed_group,
          attempts: r.dlq_attempts,
          hasStacktrace: r.has_stacktrace,
        }
      : null,
    anomalies: r.anomalies,
    ...splitEncoding(r.encoding),
    decodeError: r.decode_error,
  };
}
