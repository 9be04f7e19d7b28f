// Shared by the decode-on-read unit tests: records the way the tap indexes them (through the real
// extractor, against an in-memory registry) and the Event the API builds from the stored row.
import { defaultExtractConfig, extractRecord } from "../../server/extract";
import type { ExtractedRecord, RawRecord } from "../../server/extract/types";
import type { EventJson } from "../../server/flows/event-json";
import { createDecoder } from "../../server/decode";
import { avroEncoder, MemoryRegistry, record, wire } from "./decode-helpers";

export const ORDER = {
  type: "record", name: "OrderPlaced", namespace: "shop",
  fields: [{ name: "correlationId", type: "string" }, { name: "note", type: "string" }],
};
export const orderBytes = (id: number, note = "n") => wire(id, avroEncoder(ORDER).toBuffer({ correlationId: "c-1", note }));

export function registryWith(id: number): MemoryRegistry {
  return new MemoryRegistry().add(id, { schema: JSON.stringify(ORDER) }, { subject: "orders-value", version: 3 });
}

export function readDecoder(source: MemoryRegistry, waitMs = 300) {
  return createDecoder({ urls: ["http://memory"], username: null, password: null, timeoutMs: waitMs, waitMs, retryAfterMs: 0 }, source);
}

/** The stored row as the API answers it (what toEventJson makes of it). */
export function asEvent(x: ExtractedRecord): EventJson {
  const { key, ...encoding } = x.encoding ?? {};
  return {
    topic: x.topic, partition: x.partition, offset: x.offset, timestamp: x.timestamp,
    key: x.key === null ? null : x.keyBinary ? { base64: x.key } : x.key,
    correlationId: x.correlationId, correlationFromTrace: x.correlationFromTrace, eventId: x.eventId, eventType: x.eventType,
    eventVersion: x.eventVersion, service: x.service, causationId: x.causationId, traceId: x.traceId, headers: x.headers,
    valueKind: x.valueKind, value: JSON.parse(x.valueJson) as unknown, truncated: x.valueTruncated, size: x.size, tombstone: x.tombstone,
    dlq: null, anomalies: x.anomalies.length ? x.anomalies : null,
    encoding: encoding.format ? (encoding as EventJson["encoding"]) : null, keyEncoding: key ?? null, decodeError: x.decodeError,
  };
}

/** The record as the tap indexed it while the registry was down: binary, with the reason. */
export async function indexedWhileDown(raw: RawRecord, valueCapBytes = 65536): Promise<EventJson> {
  const down = new MemoryRegistry();
  down.down = true;
  const [decoded] = await readDecoder(down).decode([raw]);
  return asEvent(extractRecord(raw, { ...defaultExtractConfig(), valueCapBytes }, decoded));
}

export { record };
