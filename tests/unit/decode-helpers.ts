// Shared by the decode unit tests: an in-memory registry (a SchemaSource, no HTTP) and
// Confluent wire-format framing built by hand.
import avro from "avsc";
import { createSchemaCache } from "../../server/decode/schema-cache";
import { decodeRecords } from "../../server/decode/decode-records";
import { SchemaNotFound, type RegistrySchema, type SchemaSource } from "../../server/decode/types";
import type { DecodedRecord, RawRecord } from "../../server/extract/types";

export class MemoryRegistry implements SchemaSource {
  readonly byIdMap = new Map<number, RegistrySchema>();
  readonly subjects = new Map<string, RegistrySchema>();
  readonly versions = new Map<number, Array<{ subject: string; version: number }>>();
  calls = 0;
  /** When set, every call waits this long first (a slow registry). */
  delayMs = 0;
  down = false;

  add(id: number, schema: RegistrySchema, subject?: { subject: string; version: number }): this {
    this.byIdMap.set(id, schema);
    if (subject) {
      this.subjects.set(`${subject.subject}/${subject.version}`, schema);
      this.versions.set(id, [subject]);
    }
    return this;
  }

  private async answer<T>(get: () => T | undefined, what: string): Promise<T> {
    this.calls++;
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    if (this.down) throw new Error("ECONNREFUSED");
    const v = get();
    if (v === undefined) throw new SchemaNotFound(`no ${what}`);
    return v;
  }

  byId(id: number) {
    return this.answer(() => this.byIdMap.get(id), `id ${id}`);
  }
  readonly guids = new Map<string, RegistrySchema>();
  byGuid(guid: string) {
    return this.answer(() => this.guids.get(guid), `guid ${guid}`);
  }
  byApicurioGlobalId(id: number) {
    return this.answer(() => this.byIdMap.get(id), `globalId ${id}`);
  }
  subjectVersion(subject: string, version: number) {
    return this.answer(() => this.subjects.get(`${subject}/${version}`), `${subject}/${version}`);
  }
  async versionsOfId(id: number) {
    return this.versions.get(id) ?? [];
  }
}

/** Zig-zag varints as Java's ByteUtils.writeVarint writes them. */
export function zigzag(n: number): number[] {
  let v = ((n << 1) ^ (n >> 31)) >>> 0;
  const out: number[] = [];
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
  return out;
}

export function indexBytes(indexes: number[]): number[] {
  if (indexes.length === 1 && indexes[0] === 0) return [0];
  return [...zigzag(indexes.length), ...indexes.flatMap(zigzag)];
}

export function wire(id: number, body: Uint8Array, indexes?: number[]): Buffer {
  const head = Buffer.alloc(5);
  head.writeUInt32BE(id, 1);
  return Buffer.concat([head, Buffer.from(indexes ? indexBytes(indexes) : []), body]);
}

export function record(value: Uint8Array | null, over: Partial<RawRecord> = {}): RawRecord {
  return { topic: "orders", partition: 0, offset: "1", timestamp: "1777110759000", key: null, headers: {}, value, ...over };
}

export function decoderFor(registry: SchemaSource, waitMs = 2000, retryAfterMs = 30_000) {
  const cache = createSchemaCache(registry, { maxEntries: 100, retryAfterMs, maxDepth: 64 });
  return (records: RawRecord[]): Promise<Array<DecodedRecord | undefined>> => decodeRecords(records, { cache, waitMs });
}

/** avsc's own encoder for a schema, with longs as bigint so values past 2^53 can be written. */
export function avroEncoder(schema: unknown): { toBuffer(v: unknown): Buffer } {
  const long = avro.types.LongType.__with({
    fromBuffer: (b: Buffer) => b.readBigInt64LE(),
    toBuffer: (v: bigint | number) => {
      const b = Buffer.alloc(8);
      b.writeBigInt64LE(BigInt(v));
      return b;
    },
    fromJSON: (v: unknown) => BigInt(v as number),
    toJSON: (v: bigint) => Number(v),
    isValid: (v: unknown) => typeof v === "bigint" || (typeof v === "number" && Number.isInteger(v)),
    compare: (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0),
  }) as unknown as avro.Type;
  const typeHook = (s: avro.Schema) => (s === "long" || (typeof s === "object" && (s as { type?: unknown }).type === "long") ? long : undefined);
  return avro.Type.forSchema(schema as avro.Schema, { wrapUnions: "auto", typeHook });
}
