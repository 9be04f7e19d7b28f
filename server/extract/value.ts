import { toBase64, utf8Prefix, utf8Text } from "./bytes";
import { capUtf8, sanitizeJson } from "./sanitize";
import type { ExtractConfig, ValueKind } from "./types";

export interface ValueView {
  kind: ValueKind;
  truncated: boolean;
  size: number;
  tombstone: boolean;
  /** The full parse, for identifier lookups even when what is shown is truncated; undefined when not JSON. */
  parsed: unknown;
  /**
   * What the index shows, as JSON text: parsed JSON, text, { base64 }, a text prefix when
   * truncated, or null. For a JSON payload that needs no cleaning this is the record's own text
   * (key order and spacing as sent), so it is never serialised again on the way to the store.
   */
  json: string;
}

type ValueLimits = Pick<ExtractConfig, "valueCapBytes" | "maxJsonDepth">;

export function decodeValue(bytes: Uint8Array | null, limits: ValueLimits): ValueView {
  if (bytes === null) {
    return { kind: "null", truncated: false, size: 0, tombstone: true, parsed: undefined, json: "null" };
  }
  const size = bytes.length;
  const cap = Math.max(0, limits.valueCapBytes);
  const truncated = size > cap;
  const text = utf8Text(bytes);
  if (text === null) return binaryValue(bytes, limits);
  const json = parseJson(text, limits.maxJsonDepth);
  const base = { truncated, size, tombstone: false } as const;
  // Text from valid UTF-8 without NUL is already PostgreSQL-safe; only JSON escapes can add NUL or lone surrogates.
  if (truncated) {
    return { ...base, kind: json ? "json" : "text", parsed: json?.value, json: JSON.stringify(utf8Prefix(bytes, cap)) };
  }
  if (json === null) return { ...base, kind: "text", parsed: undefined, json: JSON.stringify(text) };
  // Escapes can spell NUL or lone surrogates, which the store refuses: those payloads are cleaned and re-serialised.
  if (text.includes("\\u")) {
    const clean = sanitizeJson(json.value);
    return { ...base, kind: "json", parsed: clean, json: JSON.stringify(clean) };
  }
  return { ...base, kind: "json", parsed: json.value, json: text };
}

/** The value as { base64 }, capped: for bytes that are not text, and for wire-format values that could not be decoded. */
export function binaryValue(bytes: Uint8Array, limits: ValueLimits): ValueView {
  const cap = Math.max(0, limits.valueCapBytes);
  const truncated = bytes.length > cap;
  const shown = truncated ? bytes.subarray(0, cap) : bytes;
  return { kind: "binary", truncated, size: bytes.length, tombstone: false, parsed: undefined, json: JSON.stringify({ base64: toBase64(shown) }) };
}

/**
 * A value the decode stage turned into JSON (Avro, Protobuf, JSON Schema; already sanitized
 * there). Shown like a JSON payload: its JSON text, or past the cap a prefix of that text as a
 * string, with the full value still used for identifier lookups.
 */
export function schemaValue(value: unknown, size: number, limits: ValueLimits): ValueView {
  const text = JSON.stringify(value) ?? "null";
  const cap = Math.max(0, limits.valueCapBytes);
  const shown = capUtf8(text, cap);
  const truncated = shown.length < text.length;
  const json = truncated ? JSON.stringify(shown) : text;
  return { kind: "json", truncated, size, tombstone: false, parsed: value, json };
}

/** Characters a JSON text can start with; anything else is not worth a parse attempt. */
function looksLikeJson(c: number): boolean {
  return (
    c === 0x7b || c === 0x5b || c === 0x22 || c === 0x2d || (c >= 0x30 && c <= 0x39) ||
    c === 0x74 || c === 0x66 || c === 0x6e
  );
}

function isJsonSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** The parsed value of `text`, or null when it is not JSON or nests deeper than `maxDepth`. */
function parseJson(text: string, maxDepth: number): { value: unknown } | null {
  let start = 0;
  while (start < text.length && isJsonSpace(text.charCodeAt(start))) start++;
  if (start === text.length || !looksLikeJson(text.charCodeAt(start))) return null;
  let value: unknown;
  try {
    // V8 parses iteratively, so depth alone cannot overflow the stack here; were it to, the catch keeps it text.
    value = JSON.parse(text);
  } catch {
    return null;
  }
  // Nesting deeper than maxDepth needs more than maxDepth brackets, so short texts skip the walk.
  return text.length - start > maxDepth && tooDeep(value, maxDepth) ? null : { value };
}

/** Walks containers with an explicit stack: visits nodes, not characters, and stops at the first too-deep one. */
function tooDeep(root: unknown, maxDepth: number): boolean {
  const stack: Array<{ node: unknown; depth: number }> = [{ node: root, depth: 0 }];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const { node, depth } = item;
    if (node === null || typeof node !== "object") continue;
    if (depth + 1 > maxDepth) return true;
    const children = Array.isArray(node) ? (node as unknown[]) : Object.values(node);
    for (const child of children) {
      if (child !== null && typeof child === "object") stack.push({ node: child, depth: depth + 1 });
    }
  }
  return false;
}
