// Where a record side's schema ID is, and where its encoded body starts. Pure byte work.
//
// - Confluent prefix: magic 0, 4-byte big-endian ID, body (Protobuf: message indexes first).
// - Confluent header (schema-serializer's HeaderSchemaIdSerializer, 2025): `__value_schema_id` /
//   `__key_schema_id` = magic 1 + 16-byte GUID (or magic 0 + 4-byte ID), then Protobuf message
//   indexes; the payload is then the bare body. Read as DualSchemaIdDeserializer does: header
//   first, prefix otherwise.
// - Apicurio 2.x serdes: `apicurio.value.globalId` / `apicurio.value.contentId` = 8-byte
//   big-endian long, bare body; `apicurio.value.encoding: JSON` means Avro's JSON encoding;
//   Protobuf names its message type in `apicurio.protobuf.type` (seen from its 2.4.2 serializer).
//   With headers off, its default id handler writes magic 0 + an 8-byte globalId: a prefix whose
//   first 4 ID bytes are 0, and ID 0 is never a Confluent ID (they start at 1).
import { uuidFromBytes } from "../extract/bytes";
import type { RawHeaderValue, SchemaEncoding } from "../extract/types";
import type { SchemaRef } from "./types";

export class DecodeFailure extends Error {}

export interface WireSide {
  ref: SchemaRef;
  body: Uint8Array;
  idSource?: SchemaEncoding["idSource"];
  /** Protobuf message indexes that travelled in a Confluent header (unparsed: only Protobuf has them). */
  headerIndexes?: Uint8Array;
  /** Apicurio's prefix framing: a Protobuf body starts with its `Ref` message, not Confluent's indexes. */
  apicurio?: boolean;
  /** Apicurio's header mode: the Protobuf message type's name, from `apicurio.protobuf.type`; the body is bare. */
  protobufType?: string;
  /** Apicurio's `encoding: JSON`: Avro written as JSON text. */
  avroJson?: boolean;
}

function lastBytes(v: RawHeaderValue): Uint8Array | null {
  const last = Array.isArray(v) ? v[v.length - 1] : v;
  if (last instanceof Uint8Array) return last;
  return typeof last === "string" ? new TextEncoder().encode(last) : null;
}

/** Headers by lower-cased name, only those this file reads (most records have none). */
function idHeaders(headers: Record<string, RawHeaderValue>, side: "value" | "key"): Map<string, Uint8Array> {
  const wanted = [`__${side}_schema_id`, `apicurio.${side}.globalid`, `apicurio.${side}.contentid`, `apicurio.${side}.encoding`];
  if (side === "value") wanted.push("apicurio.protobuf.type");
  const found = new Map<string, Uint8Array>();
  for (const name of Object.keys(headers)) {
    const lower = name.toLowerCase();
    if (!wanted.includes(lower)) continue;
    const bytes = lastBytes(headers[name]);
    if (bytes !== null) found.set(lower, bytes);
  }
  return found;
}

function int64(bytes: Uint8Array, what: string): number {
  if (bytes.length !== 8) throw new DecodeFailure(`${what} header is ${bytes.length} bytes, not 8`);
  const v = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigInt64(0);
  if (v < 0n || v > BigInt(Number.MAX_SAFE_INTEGER)) throw new DecodeFailure(`${what} ${v} is out of range`);
  return Number(v);
}

function fromConfluentHeader(h: Uint8Array, body: Uint8Array): WireSide {
  if (h[0] === 1 && h.length >= 17) {
    return { ref: { kind: "guid", guid: uuidFromBytes(h.subarray(1, 17)) }, body, idSource: "header", headerIndexes: h.subarray(17) };
  }
  if (h[0] === 0 && h.length >= 5) {
    const id = new DataView(h.buffer, h.byteOffset, 5).getUint32(1);
    return { ref: { kind: "id", id }, body, idSource: "header", headerIndexes: h.subarray(5) };
  }
  throw new DecodeFailure("schema id header is neither magic 1 + GUID nor magic 0 + ID");
}

/**
 * The schema reference of one side, null when it is not in a registry wire format (the plain
 * JSON/text/binary path), or throws DecodeFailure when it claims to be and cannot be.
 */
export function locateSchema(bytes: Uint8Array | null, headers: Record<string, RawHeaderValue>, side: "value" | "key"): WireSide | null {
  if (bytes === null) return null;
  const h = Object.keys(headers).length > 0 ? idHeaders(headers, side) : null;
  const confluent = h?.get(`__${side}_schema_id`);
  if (confluent) return fromConfluentHeader(confluent, bytes);
  const contentId = h?.get(`apicurio.${side}.contentid`);
  const globalId = h?.get(`apicurio.${side}.globalid`);
  if (contentId || globalId) {
    const text = (b: Uint8Array | undefined) => (b === undefined ? undefined : new TextDecoder().decode(b).trim());
    const avroJson = text(h?.get(`apicurio.${side}.encoding`))?.toUpperCase() === "JSON";
    const protobufType = text(h?.get("apicurio.protobuf.type"));
    const ref: SchemaRef = contentId ? { kind: "id", id: int64(contentId, "apicurio contentId") } : { kind: "apicurio-global", id: int64(globalId!, "apicurio globalId") };
    return { ref, body: bytes, idSource: contentId ? "apicurio-content-id" : "apicurio-global-id", avroJson, protobufType: protobufType ?? "" };
  }
  if (bytes.length < 5 || bytes[0] !== 0) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const id = view.getUint32(1);
  if (id === 0) {
    // Not a Confluent ID. Nine bytes or more may be Apicurio's 8-byte globalId; fewer (an 8-byte long key below 2^32) are plain.
    if (bytes.length < 9) return null;
    return { ref: { kind: "apicurio-global", id: int64(bytes.subarray(1, 9), "apicurio globalId") }, body: bytes.subarray(9), idSource: "apicurio-global-id", apicurio: true };
  }
  return { ref: { kind: "id", id }, body: bytes.subarray(5) };
}

/** Java's ByteUtils.readVarint: a zig-zag int32 in at most 5 bytes. */
function readZigZag(buf: Uint8Array, pos: number): [number, number] {
  let raw = 0;
  for (let i = 0; i < 5; i++) {
    if (pos + i >= buf.length) throw new DecodeFailure("message indexes are cut short");
    const b = buf[pos + i]!;
    raw |= (b & 0x7f) << (7 * i);
    if ((b & 0x80) === 0) return [(raw >>> 1) ^ -(raw & 1), pos + i + 1];
  }
  throw new DecodeFailure("message index varint is longer than 5 bytes");
}

/** No real .proto nests types this deep; a count beyond it is not an index list. */
const MAX_INDEXES = 32;

/** Confluent's Protobuf message indexes at `pos`: count then indexes, a lone 0 meaning [0]. */
export function readIndexes(buf: Uint8Array, pos: number): { indexes: number[]; pos: number } {
  const [count, start] = readZigZag(buf, pos);
  if (count === 0) return { indexes: [0], pos: start };
  if (count < 0 || count > MAX_INDEXES) throw new DecodeFailure(`message index count ${count} is not plausible`);
  const indexes: number[] = [];
  let p = start;
  for (let i = 0; i < count; i++) {
    const [index, next] = readZigZag(buf, p);
    if (index < 0) throw new DecodeFailure(`message index ${index} is negative`);
    indexes.push(index);
    p = next;
  }
  return { indexes, pos: p };
}
