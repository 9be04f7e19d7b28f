// Avro logical types rendered for people, all as JSON strings so nothing is rounded:
// decimal → exact decimal text; timestamps → ISO 8601 (micro/nanosecond digits kept); date →
// YYYY-MM-DD; time → HH:MM:SS.fff(fff); uuid on fixed(16) → UUID text. A value a type cannot
// render (a timestamp past year 9999, a long beyond 2^53 shown as a string) stays as its
// underlying value. avsc falls back to the underlying type when a schema's parameters are invalid.
import avro from "avsc";
import { uuidFromBytes } from "../extract/bytes";
import { int64Json } from "./json-value";

type Underlying = number | string | Buffer;

/** Longs as numbers when exact, else decimal strings (avsc's own long type throws past 2^53). */
export const LONG = avro.types.LongType.__with({
  fromBuffer: (b: Buffer) => int64Json(b.readBigInt64LE()),
  toBuffer: (v: number | string) => {
    const b = Buffer.alloc(8);
    b.writeBigInt64LE(BigInt(v));
    return b;
  },
  fromJSON: (v: unknown) => v,
  toJSON: (v: unknown) => v,
  isValid: (v: unknown) => typeof v === "number" || typeof v === "string",
  compare: (a: number | string, b: number | string) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0),
}) as unknown as avro.Type;


/** Two's-complement big-endian bytes, as Avro's decimal stores the unscaled value. */
function unscaled(bytes: Uint8Array): bigint {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return bytes.length > 0 && (bytes[0]! & 0x80) !== 0 ? v - (1n << BigInt(bytes.length * 8)) : v;
}

export function decimalText(bytes: Uint8Array, scale: number): string {
  const v = unscaled(bytes);
  const neg = v < 0n;
  const digits = (neg ? -v : v).toString().padStart(scale + 1, "0");
  const text = scale > 0 ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
  return neg ? `-${text}` : text;
}

abstract class Render extends avro.types.LogicalType {
  constructor(schema: avro.Schema, opts?: unknown) {
    super(schema, opts as avro.ForSchemaOptions);
    // avsc builds the underlying long itself; ours keeps values past 2^53 exact.
    if (this.underlyingType.typeName === "long") (this as unknown as { _underlyingType: avro.Type })._underlyingType = LONG;
  }
  protected _toValue(v: unknown): unknown {
    return v; // decode only: Flowtap never encodes
  }
  protected _resolve(type: avro.Type) {
    return avro.Type.isType(type, this.underlyingType.typeName) ? (v: unknown) => v : undefined;
  }
}

class Decimal extends Render {
  private readonly scale: number;
  constructor(schema: avro.Schema, opts?: unknown) {
    super(schema, opts);
    const s = (schema as { scale?: unknown }).scale ?? 0;
    if (!Number.isInteger(s) || (s as number) < 0) throw new Error("invalid decimal scale");
    this.scale = s as number;
  }
  protected _fromValue(v: Underlying) {
    return Buffer.isBuffer(v) ? decimalText(v, this.scale) : v;
  }
}

const MAX_MS = 253402300799999; // 9999-12-31T23:59:59.999Z

/** Epoch count in `unit`s per millisecond → ISO 8601, keeping sub-millisecond digits. */
function isoOf(v: Underlying, perMs: number, local: boolean): Underlying {
  let ms: number;
  let sub: number | bigint;
  if (typeof v === "number") {
    ms = Math.floor(v / perMs);
    sub = v - ms * perMs;
  } else if (typeof v === "string" && /^-?\d{1,20}$/.test(v)) {
    // Past 2^53 (every timestamp-nanos of this century) the long arrives as text.
    const p = BigInt(perMs);
    let whole = BigInt(v) / p;
    let rem = BigInt(v) % p;
    if (rem < 0n) [whole, rem] = [whole - 1n, rem + p];
    ms = Number(whole);
    sub = rem;
  } else {
    return v;
  }
  if (Math.abs(ms) > MAX_MS) return v;
  let iso = new Date(ms).toISOString();
  if (perMs > 1) iso = `${iso.slice(0, -1)}${String(sub).padStart(String(perMs).length - 1, "0")}Z`;
  return local ? iso.slice(0, -1) : iso;
}

function timestamp(perMs: number, local: boolean) {
  return class extends Render {
    protected _fromValue(v: Underlying) {
      return isoOf(v, perMs, local);
    }
  };
}

class DateType extends Render {
  protected _fromValue(v: Underlying) {
    return typeof v === "number" && Math.abs(v) <= 2932896 ? new Date(v * 86400000).toISOString().slice(0, 10) : v;
  }
}

function timeOfDay(perMs: number) {
  return class extends Render {
    protected _fromValue(v: Underlying) {
      if (typeof v !== "number" || v < 0 || v >= 86400000 * perMs) return v;
      return isoOf(v, perMs, true).toString().slice(11);
    }
  };
}

class Uuid extends Render {
  protected _fromValue(v: Underlying) {
    return Buffer.isBuffer(v) && v.length === 16 ? uuidFromBytes(v) : v;
  }
}

export const LOGICAL_TYPES = {
  decimal: Decimal,
  "timestamp-millis": timestamp(1, false),
  "timestamp-micros": timestamp(1000, false),
  "timestamp-nanos": timestamp(1000000, false),
  "local-timestamp-millis": timestamp(1, true),
  "local-timestamp-micros": timestamp(1000, true),
  "local-timestamp-nanos": timestamp(1000000, true),
  date: DateType,
  "time-millis": timeOfDay(1),
  "time-micros": timeOfDay(1000),
  uuid: Uuid,
} as unknown as Record<string, new (schema: avro.Schema, opts?: unknown) => avro.types.LogicalType>;
