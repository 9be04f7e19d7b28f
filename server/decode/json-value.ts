// Decoders hand back library objects (avsc records, Buffers, protobufjs Longs); the index stores
// JSON. One walk turns them into plain JSON values the store accepts.
import { toBase64 } from "../extract/bytes";
import { sanitizeText } from "../extract/sanitize";
import { DecodeFailure } from "./wire";

/** A 64-bit integer as a number when exact, else as its decimal string (JSON numbers lose past 2^53). */
export function int64Json(v: bigint): number | string {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
}

/**
 * Plain JSON of a decoded value: bytes become base64 strings (as in Protobuf's JSON mapping),
 * NaN and ±Infinity their names (JSON has none), strings and keys lose NUL and lone surrogates
 * (PostgreSQL refuses them). Deeper than `maxDepth` is refused: the caller reports it.
 */
export function toJsonValue(v: unknown, maxDepth: number, depth = 0): unknown {
  if (typeof v === "string") return sanitizeText(v);
  if (typeof v === "number") return Number.isFinite(v) ? v : String(v);
  if (typeof v === "bigint") return int64Json(v);
  if (v === null || typeof v !== "object") return v === undefined ? null : v;
  if (depth >= maxDepth) throw new DecodeFailure(`value nests deeper than ${maxDepth} levels`);
  if (v instanceof Uint8Array) return toBase64(v);
  // avsc's wrapped union branch ({ long: 5 }): the branch's value is what was written.
  const unwrap = (v as { unwrap?: unknown }).unwrap;
  if (typeof unwrap === "function" && !Object.hasOwn(v, "unwrap")) return toJsonValue((unwrap as () => unknown).call(v), maxDepth, depth);
  if (Array.isArray(v)) return v.map((x) => toJsonValue(x, maxDepth, depth + 1));
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(v)) {
    const x = (v as Record<string, unknown>)[key];
    if (x === undefined || typeof x === "function") continue;
    const k = sanitizeText(key);
    const value = toJsonValue(x, maxDepth, depth + 1);
    // defineProperty only for "__proto__", which assignment would turn into a prototype change.
    if (k === "__proto__") Object.defineProperty(out, k, { value, enumerable: true, writable: true, configurable: true });
    else out[k] = value;
  }
  return out;
}
