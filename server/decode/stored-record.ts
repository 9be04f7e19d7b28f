// The pure half of decode-on-read (decode-on-read.ts is the I/O): which events of an answer are
// worth decoding again, the Kafka record rebuilt from what the index holds, and the event with the
// decoded value put in place. No I/O, no clock.
import { schemaValue } from "../extract/value";
import type { ExtractConfig, RawRecord, SchemaDecoded } from "../extract/types";
import type { EventJson } from "../flows/event-json";

export type DisplayLimits = Pick<ExtractConfig, "valueCapBytes" | "maxJsonDepth">;

function isBase64(v: unknown): v is { base64: string } {
  return typeof v === "object" && v !== null && typeof (v as { base64?: unknown }).base64 === "string";
}

/**
 * The value is stored as binary because decoding failed. A failure of the key alone ("key: …")
 * leaves the value as it was (JSON, text or genuinely binary), so there is nothing to retry there:
 * keys are not decoded on read, since the stored key is what the key filter and search match.
 */
export function wantsRedecode(e: EventJson): boolean {
  return e.decodeError !== null && e.valueKind === "binary" && isBase64(e.value) && !e.decodeError.startsWith("key: ");
}

/** The key's part of a stored decode error ("…; key: …"), which a decoded value leaves standing. */
export function keyErrorOf(decodeError: string | null): string | null {
  if (decodeError === null) return null;
  if (decodeError.startsWith("key: ")) return decodeError;
  const at = decodeError.indexOf("; key: ");
  return at < 0 ? null : decodeError.slice(at + 2);
}

/** Display headers (text, or { base64 } for bytes) back to bytes: exact, since text headers were valid UTF-8 without NUL. */
function headerBytes(headers: EventJson["headers"]): RawRecord["headers"] {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, typeof v === "string" ? Buffer.from(v, "utf8") : Buffer.from(v.base64, "base64")]));
}

/** The display copy is not the record: a cut value, or headers cut or left out (a schema ID header among them, maybe). */
export function needsOriginal(e: EventJson): boolean {
  return e.truncated || (e.anomalies ?? []).some((a) => a.startsWith("headers cut"));
}

/**
 * The record as the decode stage needs it (value and headers; the key is left out, see
 * wantsRedecode). From a cut display copy this is the record's first bytes only: enough to learn
 * and fetch its schema, never to show as decoded.
 */
export function storedRecord(e: EventJson): RawRecord | null {
  if (!isBase64(e.value)) return null;
  return {
    topic: e.topic,
    partition: e.partition,
    offset: e.offset,
    timestamp: String(Date.parse(e.timestamp)),
    key: null,
    headers: headerBytes(e.headers),
    value: Buffer.from(e.value.base64, "base64"),
  };
}

/** The fields of an event that a decoded value replaces. */
export type DecodedPatch = Pick<EventJson, "value" | "valueKind" | "truncated" | "encoding">;

/** The decoded value as the index would have shown it: its JSON, or past the display cap a prefix of that text. */
export function decodedPatch(d: SchemaDecoded | undefined, size: number, limits: DisplayLimits): DecodedPatch | null {
  if (d === undefined || !d.ok) return null;
  const view = schemaValue(d.value, size, limits);
  return { value: view.truncated ? (JSON.parse(view.json) as string) : d.value, valueKind: "json", truncated: view.truncated, encoding: d.encoding };
}

export function applyPatch<T extends EventJson>(e: T, p: DecodedPatch): T {
  return { ...e, ...p, decodeError: keyErrorOf(e.decodeError), decodedOnRead: true };
}
