import { toBase64, utf8Text } from "./bytes";
import { sanitizeText } from "./sanitize";
import type { HeaderText, RawHeaderValue } from "./types";

export interface HeaderEntry {
  /** Name as sent (made PostgreSQL-safe). */
  name: string;
  raw: Uint8Array | string;
  /** The value as text when it is valid UTF-8 without NUL (PostgreSQL-safe); else null. */
  text: string | null;
}

/** A record's headers, decoded once: every lookup after this is a Map get. */
export interface HeaderIndex {
  /** Lowercased name → entry; of names differing only in case, the later one wins. */
  byName: Map<string, HeaderEntry>;
  /** Name as sent → displayed value. */
  display: Record<string, HeaderText>;
}

const encoder = new TextEncoder();

/** Java's lastHeader semantics: the last occurrence counts, and a null value means no value. */
function lastValue(v: RawHeaderValue): Uint8Array | string | null {
  const last = Array.isArray(v) ? v[v.length - 1] : v;
  return last ?? null;
}

function textOf(value: Uint8Array | string): string | null {
  if (typeof value !== "string") return utf8Text(value);
  return value.includes("\u0000") ? null : sanitizeText(value);
}

export function indexHeaders(headers: Record<string, RawHeaderValue>): HeaderIndex {
  const byName = new Map<string, HeaderEntry>();
  const display: Array<[string, HeaderText]> = [];
  for (const name of Object.keys(headers)) {
    const raw = lastValue(headers[name]);
    if (raw === null) continue;
    const text = textOf(raw);
    const entry: HeaderEntry = { name: sanitizeText(name), raw, text };
    byName.set(name.toLowerCase(), entry);
    const shown = text ?? { base64: toBase64(typeof raw === "string" ? encoder.encode(raw) : raw) };
    display.push([entry.name, shown]);
  }
  // fromEntries defines properties, so a header named "__proto__" stays an ordinary key.
  return { byName, display: Object.fromEntries(display) };
}

/** Text of a header (name already lowercase), or null when absent or binary. */
export function headerText(headers: HeaderIndex, lowerName: string): string | null {
  return headers.byName.get(lowerName)?.text ?? null;
}
