// A decoded protobufjs message → plain JSON: field names as in the .proto (keepCase), enums as
// names, bytes as base64, 64-bit integers as numbers when exact else decimal strings, unset
// fields left out (proto3 JSON mapping), and well-known types as their JSON mapping (Timestamp
// → ISO 8601, Duration → "1.5s", wrappers → the bare value, Struct/Value/ListValue → JSON).
import protobuf from "protobufjs";
import { toBase64 } from "../extract/bytes";
import { sanitizeText } from "../extract/sanitize";
import { int64Json } from "./json-value";
import { DecodeFailure } from "./wire";

type Msg = Record<string, unknown>;

/** Assignment, except that a "__proto__" key (a map key is data) stays a plain key. */
function put(out: Msg, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}

function int64(v: unknown): unknown {
  if (typeof v === "number") return v;
  // protobufjs's int64s are `long` objects (low, high, unsigned).
  if (v !== null && typeof v === "object" && "high" in v && "low" in v) {
    const s = (v as { toString(): string }).toString();
    return s.length < 16 ? Number(s) : int64Json(BigInt(s));
  }
  return v;
}

function byId(type: protobuf.Type, msg: Msg, id: number): unknown {
  const f = type.fieldsById[id];
  return f === undefined ? undefined : msg[f.name];
}

function timestampJson(type: protobuf.Type, msg: Msg): unknown {
  const seconds = Number(int64(byId(type, msg, 1) ?? 0));
  const nanos = Number(byId(type, msg, 2) ?? 0);
  const ms = seconds * 1000;
  if (!Number.isFinite(ms) || Math.abs(ms) > 253402300799999) return { seconds, nanos };
  const iso = new Date(ms).toISOString().slice(0, 19);
  return nanos === 0 ? `${iso}Z` : `${iso}.${String(nanos).padStart(9, "0").replace(/0+$/, "")}Z`;
}

function durationJson(type: protobuf.Type, msg: Msg): unknown {
  const seconds = String(int64(byId(type, msg, 1) ?? 0));
  const nanos = Math.abs(Number(byId(type, msg, 2) ?? 0));
  return nanos === 0 ? `${seconds}s` : `${seconds}.${String(nanos).padStart(9, "0").replace(/0+$/, "")}s`;
}

type Convert = (type: protobuf.Type, msg: Msg, depth: number) => unknown;

const WRAPPERS = ["Double", "Float", "Int64", "UInt64", "Int32", "UInt32", "Bool", "String", "Bytes"].map((n) => `.google.protobuf.${n}Value`);

const WELL_KNOWN: Record<string, Convert> = {
  ".google.protobuf.Timestamp": timestampJson,
  ".google.protobuf.Duration": durationJson,
  ".google.protobuf.Empty": () => ({}),
  ".google.protobuf.FieldMask": (t, m) => ((byId(t, m, 1) as string[] | undefined) ?? []).join(","),
  ".google.protobuf.Struct": (t, m, d) => fieldJson(t.fieldsById[1]!, byId(t, m, 1) ?? {}, d),
  ".google.protobuf.ListValue": (t, m, d) => fieldJson(t.fieldsById[1]!, byId(t, m, 1) ?? [], d),
  ".google.protobuf.Value": (t, m, d) => {
    for (let id = 1; id <= 6; id++) {
      const f = t.fieldsById[id];
      if (f !== undefined && Object.hasOwn(m, f.name)) return id === 1 ? null : fieldJson(f, m[f.name], d);
    }
    return null;
  },
  ".google.protobuf.Any": (t, m, d) => {
    const url = String(byId(t, m, 1) ?? "");
    const bytes = byId(t, m, 2) as Uint8Array | undefined;
    const inner = url === "" ? null : t.root.lookup(url.slice(url.lastIndexOf("/") + 1));
    if (inner instanceof protobuf.Type && bytes !== undefined) {
      const body = messageJson(inner, inner.decode(bytes) as unknown as Msg, d + 1);
      return body !== null && typeof body === "object" && !Array.isArray(body) ? { "@type": url, ...body } : { "@type": url, value: body };
    }
    return { "@type": url, value: toBase64(bytes ?? new Uint8Array()) };
  },
};
for (const w of WRAPPERS) WELL_KNOWN[w] = (t, m, d) => fieldJson(t.fieldsById[1]!, byId(t, m, 1) ?? defaultOf(t.fieldsById[1]!), d);

function defaultOf(f: protobuf.Field): unknown {
  if (f.type === "bool") return false;
  if (f.type === "string") return "";
  if (f.type === "bytes") return new Uint8Array();
  return 0;
}

function scalarJson(f: protobuf.Field, v: unknown, depth: number): unknown {
  const rt = f.resolvedType;
  if (rt instanceof protobuf.Type) return messageJson(rt, v as Msg, depth + 1);
  if (rt instanceof protobuf.Enum) return rt.valuesById[v as number] ?? v;
  if (typeof v === "string") return sanitizeText(v);
  if (typeof v === "number") return Number.isFinite(v) ? v : String(v);
  if (v instanceof Uint8Array) return toBase64(v);
  return int64(v);
}

function fieldJson(f: protobuf.Field, v: unknown, depth: number): unknown {
  if (f.map) {
    const out: Msg = {};
    for (const k of Object.keys(v as Msg)) put(out, sanitizeText(k), scalarJson(f, (v as Msg)[k], depth));
    return out;
  }
  if (f.repeated) return (v as unknown[]).map((x) => scalarJson(f, x, depth));
  return scalarJson(f, v, depth);
}

/** Protobuf's own depth limit (Java's CodedInputStream) is 100. */
const MAX_DEPTH = 100;

export function messageJson(type: protobuf.Type, msg: Msg, depth = 0): unknown {
  if (depth > MAX_DEPTH) throw new DecodeFailure(`message nests deeper than ${MAX_DEPTH} levels`);
  const wk = WELL_KNOWN[type.fullName];
  if (wk !== undefined) return wk(type, msg, depth);
  const out: Msg = {};
  for (const f of type.fieldsArray) {
    if (!Object.hasOwn(msg, f.name)) continue;
    const v = msg[f.name];
    if (v === null || v === undefined) continue;
    if ((f.repeated && (v as unknown[]).length === 0) || (f.map && Object.keys(v as Msg).length === 0)) continue;
    put(out, f.name, fieldJson(f, v, depth));
  }
  return out;
}
