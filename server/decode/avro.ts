// Avro writer schemas → decoders (avsc). avsc compiles a reader per schema; decoding is only
// the writer's schema (no reader schema, no resolution): the index shows what was written.
import avro from "avsc";
import { LOGICAL_TYPES, LONG } from "./avro-logical";
import { DecodeFailure } from "./wire";

interface Tap {
  buf: Uint8Array;
  pos: number;
  items?: number;
  readLong(): number;
  skipLong(): void;
  readString(): string;
  isValid(): boolean;
}

/**
 * avsc reads an array or map block count and loops that many times without looking at the
 * bytes left (a hostile count of 2^31 ran for minutes). Every item of real data takes at least
 * a byte, so a record holds at most as many items as it has bytes; 1,024 more allow arrays of
 * zero-width items (null, empty records).
 */
function blockCount(tap: Tap): number {
  let n = tap.readLong();
  if (n < 0) {
    n = -n;
    tap.skipLong();
  }
  tap.items = (tap.items ?? 0) + n;
  if (!(tap.items <= tap.buf.length + 1024)) throw new DecodeFailure(`array or map claims ${n} items in ${tap.buf.length} bytes`);
  return n;
}

function guardedArrayRead(this: { itemsType: { _read(t: Tap): unknown } }, tap: Tap): unknown[] {
  const val: unknown[] = [];
  for (let n = blockCount(tap); n !== 0; n = blockCount(tap)) {
    while (n--) val.push(this.itemsType._read(tap));
    if (!tap.isValid()) throw new DecodeFailure("truncated array");
  }
  return val;
}

function guardedMapRead(this: { valuesType: { _read(t: Tap): unknown } }, tap: Tap): Record<string, unknown> {
  const val: Record<string, unknown> = {};
  for (let n = blockCount(tap); n !== 0; n = blockCount(tap)) {
    while (n--) {
      const key = tap.readString();
      Object.defineProperty(val, key, { value: this.valuesType._read(tap), enumerable: true, writable: true, configurable: true });
    }
    if (!tap.isValid()) throw new DecodeFailure("truncated map");
  }
  return val;
}

// avsc freezes its types, so the guarded readers come in as subclasses, built by the type hook.
const ArrayType = avro.types.ArrayType as unknown as new (schema: avro.Schema, opts: unknown) => avro.Type;
const MapType = avro.types.MapType as unknown as new (schema: avro.Schema, opts: unknown) => avro.Type;
class GuardedArray extends ArrayType {
  _read(tap: Tap) {
    return guardedArrayRead.call(this as unknown as { itemsType: { _read(t: Tap): unknown } }, tap);
  }
}
class GuardedMap extends MapType {
  _read(tap: Tap) {
    return guardedMapRead.call(this as unknown as { valuesType: { _read(t: Tap): unknown } }, tap);
  }
}

export interface AvroCodec {
  decodeBinary(body: Uint8Array): unknown;
}

/** `references` are the named types other subjects define (Confluent schema references), parsed first. */
export function compileAvro(schemaText: string, references: string[] = []): AvroCodec {
  // Plain longs (named or {"type": "long"}) become the exact-or-string LONG; logical types over a long swap it in themselves.
  const typeHook = (s: avro.Schema, o: avro.ForSchemaOptions): avro.Type | undefined => {
    if (s === "long") return LONG;
    if (typeof s !== "object" || Array.isArray(s)) return undefined;
    const { type, logicalType } = s as { type?: unknown; logicalType?: string };
    if (logicalType !== undefined && logicalType in LOGICAL_TYPES) return undefined;
    if (type === "long") return LONG;
    if (type === "array") return new GuardedArray(s, o);
    if (type === "map") return new GuardedMap(s, o);
    return undefined;
  };
  const opts = { registry: {}, logicalTypes: LOGICAL_TYPES, wrapUnions: "auto" as const, typeHook };
  for (const ref of references) avro.Type.forSchema(JSON.parse(ref) as avro.Schema, opts);
  const type = avro.Type.forSchema(JSON.parse(schemaText) as avro.Schema, opts);
  return {
    decodeBinary: (body) => type.fromBuffer(Buffer.from(body.buffer, body.byteOffset, body.length)) as unknown,
  };
}
