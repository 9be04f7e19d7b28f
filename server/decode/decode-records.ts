// The decode stage: between the Kafka record and the pure extractor. For each record side
// (value, key) in a Schema Registry wire format it finds the schema reference (wire.ts), gets
// the writer's schema (schema-cache.ts; the registry is asked at most once per ID) and decodes.
//
// Bounded: the registry is waited on for at most `waitMs` per batch, and a schema that failed is
// not asked for again for a while, so a slow or down registry costs a batch at most `waitMs` and
// then nothing until the retry interval passes. A side that cannot be decoded (registry away,
// unknown ID, bytes not matching the schema, a magic byte on a record not in wire format) gets
// an error instead, never an exception: the record is indexed as binary with the reason.
import type { DecodedRecord, RawRecord, SchemaDecoded, SchemaEncoding } from "../extract/types";
import type { Resolved, SchemaCache } from "./schema-cache";
import { refKey, type Codec, type SchemaRef } from "./types";
import { DecodeFailure, locateSchema, type WireSide } from "./wire";

export interface DecodeOptions {
  cache: SchemaCache;
  /** The longest a batch waits for the registry. */
  waitMs: number;
  /** Registry requests in flight at once for one batch. */
  concurrency?: number;
}

function encodingOf(side: WireSide, codec: Codec, messageType?: string): SchemaEncoding {
  const e: SchemaEncoding = { format: codec.format };
  if (side.ref.kind === "guid") e.schemaGuid = side.ref.guid;
  else e.schemaId = side.ref.id;
  if (side.idSource !== undefined) e.idSource = side.idSource;
  if (codec.subject !== undefined) e.subject = codec.subject;
  if (codec.version !== undefined) e.version = codec.version;
  if (messageType !== undefined) e.messageType = messageType;
  return e;
}

function message(err: unknown): string {
  if (err instanceof DecodeFailure) return err.message;
  if (err instanceof RangeError) return `does not match its schema (${err.message})`;
  return `does not match its schema (${err instanceof Error ? err.message : String(err)})`;
}

function decodeSide(side: WireSide, resolved: Resolved): SchemaDecoded {
  if (!resolved.ok) return { ok: false, error: resolved.error, encoding: null };
  try {
    const out = resolved.codec.decode(side);
    return { ok: true, value: out.value, encoding: encodingOf(side, resolved.codec, out.messageType) };
  } catch (err) {
    return { ok: false, error: `${describeRef(side.ref)}: ${message(err)}`.slice(0, 500), encoding: encodingOf(side, resolved.codec) };
  }
}

function describeRef(ref: SchemaRef): string {
  if (ref.kind === "guid") return `schema GUID ${ref.guid}`;
  return ref.kind === "id" ? `schema ID ${ref.id}` : `Apicurio globalId ${ref.id}`;
}

type Located = WireSide | { error: string } | null;

function locate(bytes: Uint8Array | null, headers: RawRecord["headers"], side: "value" | "key"): Located {
  try {
    return locateSchema(bytes, headers, side);
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}

/** Resolves refs with bounded concurrency until done or `waitMs` passes; what is still pending then is reported as such. */
async function resolveAll(cache: SchemaCache, refs: SchemaRef[], waitMs: number, concurrency: number): Promise<Map<string, Resolved>> {
  const out = new Map<string, Resolved>();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < refs.length) {
      const ref = refs[next++]!;
      out.set(refKey(ref), await cache.resolve(ref));
    }
  };
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((r) => (timer = setTimeout(r, waitMs)));
  await Promise.race([Promise.all(Array.from({ length: Math.min(concurrency, refs.length) }, worker)), deadline]);
  clearTimeout(timer);
  // Fetches still running go on and fill the cache for the next batch.
  next = refs.length;
  return out;
}

export async function decodeRecords(records: readonly RawRecord[], opts: DecodeOptions): Promise<Array<DecodedRecord | undefined>> {
  const located = records.map((r) => ({ value: locate(r.value, r.headers, "value"), key: locate(r.key, r.headers, "key") }));
  const resolved = new Map<string, Resolved>();
  const missing = new Map<string, SchemaRef>();
  for (const l of located) {
    for (const side of [l.value, l.key]) {
      if (side === null || "error" in side) continue;
      const key = refKey(side.ref);
      if (resolved.has(key) || missing.has(key)) continue;
      const hit = opts.cache.peek(side.ref);
      if (hit !== undefined) resolved.set(key, hit);
      else missing.set(key, side.ref);
    }
  }
  if (missing.size > 0) {
    for (const [k, v] of await resolveAll(opts.cache, [...missing.values()], opts.waitMs, opts.concurrency ?? 8)) resolved.set(k, v);
  }
  const one = (side: Located, isKey: boolean): SchemaDecoded | undefined => {
    if (side === null) return undefined;
    if ("error" in side) return { ok: false, error: side.error, encoding: null };
    const r = resolved.get(refKey(side.ref)) ?? { ok: false, error: `${describeRef(side.ref)}: the schema registry did not answer within ${opts.waitMs} ms` };
    // Binary keys often start with a zero byte (a big-endian long); an ID the registry does not know there means a plain key.
    if (isKey && !r.ok && r.notFound === true && side.idSource === undefined) return undefined;
    return decodeSide(side, r);
  };
  return located.map((l) => {
    if (l.value === null && l.key === null) return undefined;
    const out: DecodedRecord = {};
    const value = one(l.value, false);
    const key = one(l.key, true);
    if (value !== undefined) out.value = value;
    if (key !== undefined) out.key = key;
    return out;
  });
}
