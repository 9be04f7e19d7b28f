// The extractor: one Kafka record in, everything the index stores about it out.
// Pure: no I/O, clock or environment, so the tap can call it ~30k times a second.

import { toBase64, utf8Text } from "./bytes";
import { findDeadLetter } from "./dead-letter";
import { indexHeaders, headerText, type HeaderIndex } from "./headers";
import {
  findCausationId, findCorrelationId, findEventId, findEventType, findEventVersion, findService,
  type LookupContext,
} from "./ids";
import { asObject, type JsonObject } from "./json-path";
import { capChars, sanitizeText } from "./sanitize";
import { recordTimestamp } from "./time";
import { findTrace } from "./trace";
import type { DecodedRecord, ExtractConfig, ExtractedRecord, RawRecord, RecordEncoding, SchemaDecoded } from "./types";
import { binaryValue, decodeValue, schemaValue, type ValueView } from "./value";

export { defaultExtractConfig, parseFieldRules } from "./config";
export { sanitizeText } from "./sanitize";
export { DEFAULT_DLQ_TOPIC_PATTERN, inferDeadLetterSource, type InferredSource } from "./topic-name";
export type * from "./types";

const CLOUDEVENTS = /^\s*application\/cloudevents/i;

function isStructuredCloudEvent(headers: HeaderIndex, root: JsonObject | null): boolean {
  const contentType = headerText(headers, "content-type");
  return root !== null && contentType !== null && CLOUDEVENTS.test(contentType);
}

function keyOf(key: Uint8Array | null, idMaxChars: number): { key: string | null; keyBinary: boolean } {
  if (key === null) return { key: null, keyBinary: false };
  const text = utf8Text(key);
  if (text !== null) return { key: capChars(text, idMaxChars), keyBinary: false };
  // Whole base64 quanta only: 4 characters per 3 bytes.
  const bytes = key.subarray(0, Math.floor(Math.max(0, idMaxChars) / 4) * 3);
  return { key: toBase64(bytes), keyBinary: true };
}

/** A decoded key as an identifier: a string as is, anything else as its JSON text. */
function decodedKey(d: SchemaDecoded | undefined, raw: Uint8Array | null, idMaxChars: number): { key: string | null; keyBinary: boolean } {
  if (d === undefined || !d.ok) return keyOf(raw, idMaxChars);
  const text = typeof d.value === "string" ? d.value : (JSON.stringify(d.value) ?? "null");
  return { key: capChars(sanitizeText(text), idMaxChars), keyBinary: false };
}

/** The value as shown: decoded by its schema, or binary when a wire-format value could not be decoded. */
function valueView(raw: Uint8Array | null, d: SchemaDecoded | undefined, config: ExtractConfig): ValueView {
  if (raw === null || d === undefined) return decodeValue(raw, config);
  return d.ok ? schemaValue(d.value, raw.length, config) : binaryValue(raw, config);
}

function encodingOf(decoded: DecodedRecord | undefined): RecordEncoding | null {
  const value = decoded?.value?.encoding ?? null;
  const key = decoded?.key?.encoding ?? null;
  if (value === null && key === null) return null;
  return key === null ? { ...value } : { ...value, key };
}

function decodeErrorOf(decoded: DecodedRecord | undefined): string | null {
  const errors: string[] = [];
  if (decoded?.value?.ok === false) errors.push(decoded.value.error);
  if (decoded?.key?.ok === false) errors.push(`key: ${decoded.key.error}`);
  return errors.length > 0 ? sanitizeText(errors.join("; ")) : null;
}

/**
 * `decoded` carries what the decode stage (server/decode) made of Schema Registry wire-format
 * values and keys; without it, or for a side it does not mention, bytes are read as JSON, text
 * or binary. Decoded values go through the same identifier lookups as JSON payloads.
 */
export function extractRecord(raw: RawRecord, config: ExtractConfig, decoded?: DecodedRecord): ExtractedRecord {
  const headers = indexHeaders(raw.headers, config.valueCapBytes);
  // What had to change for the index to hold the record; empty for nearly every record.
  const anomalies: string[] = [];
  const ts = recordTimestamp(raw.timestamp);
  if (ts.anomaly !== null) anomalies.push(ts.anomaly);
  if (headers.cut !== null) anomalies.push(headers.cut);
  const view = valueView(raw.value, decoded?.value, config);
  const root = asObject(view.parsed);
  const ctx: LookupContext = { headers, value: view.parsed, root, cloudEvent: isStructuredCloudEvent(headers, root) };
  const id = (s: string | null): string | null => (s === null ? null : sanitizeText(capChars(s, config.idMaxChars)));

  const topic = sanitizeText(raw.topic);
  const trace = findTrace(headers);
  const correlationId = id(findCorrelationId(ctx, config.correlationRules));
  const traceId = id(trace?.traceId ?? null);
  const dlq = findDeadLetter(topic, headers, config, anomalies);
  return {
    topic,
    partition: raw.partition,
    offset: sanitizeText(raw.offset),
    timestamp: ts.iso,
    ...decodedKey(decoded?.key, raw.key, config.idMaxChars),
    correlationId: correlationId ?? traceId,
    correlationFromTrace: correlationId === null && traceId !== null,
    traceId,
    causationId: id(findCausationId(ctx, config.causationRules, trace?.parentId ?? null)),
    eventId: id(findEventId(ctx, config.eventIdRules)),
    eventType: id(findEventType(ctx, config.eventTypeRules)),
    eventVersion: id(findEventVersion(ctx)),
    service: id(findService(ctx, config.serviceRules, topic)),
    headers: headers.display,
    valueKind: view.kind,
    valueJson: view.json,
    valueTruncated: view.truncated,
    size: view.size,
    tombstone: view.tombstone,
    isDlq: dlq !== null,
    dlq,
    anomalies,
    encoding: encodingOf(decoded),
    decodeError: decodeErrorOf(decoded),
  };
}
