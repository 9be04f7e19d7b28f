// PostgreSQL text rejects U+0000 and jsonb rejects lone surrogates (they have no
// UTF-8 form), so every string that reaches the output passes through here.

/** Cheap pre-test: any NUL or surrogate at all (paired ones included). */
const MAYBE_UNSAFE = /[\u0000\ud800-\udfff]/;
/** Without the `u` flag the regex sees UTF-16 code units, so lone halves are matchable. */
const UNSAFE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const encoder = new TextEncoder();

/** Replaces U+0000 and lone surrogates with U+FFFD. */
export function sanitizeText(s: string): string {
  return MAYBE_UNSAFE.test(s) ? s.replace(UNSAFE, "\ufffd") : s;
}

/** Cuts to at most `max` UTF-16 code units without splitting a surrogate pair. */
export function capChars(s: string, max: number): string {
  if (s.length <= max) return s;
  const last = s.charCodeAt(max - 1);
  const end = last >= 0xd800 && last <= 0xdbff ? max - 1 : max;
  return s.slice(0, Math.max(0, end));
}

/** Cuts to at most `maxBytes` bytes of UTF-8, on a character boundary. */
export function capUtf8(s: string, maxBytes: number): string {
  // A UTF-16 code unit never takes more than 3 UTF-8 bytes.
  if (s.length * 3 <= maxBytes) return s;
  // encodeInto stops before a character that would not fit, never inside one.
  const { read } = encoder.encodeInto(s, new Uint8Array(maxBytes));
  return s.slice(0, read);
}

type JsonContainer = unknown[] | Record<string, unknown>;

function isContainer(v: unknown): v is JsonContainer {
  return v !== null && typeof v === "object";
}

/**
 * Sanitizes every string and object key of a freshly parsed JSON value, in place.
 * Iterative, so the depth of the value cannot exhaust the call stack.
 */
export function sanitizeJson(root: unknown): unknown {
  if (typeof root === "string") return sanitizeText(root);
  if (!isContainer(root)) return root;
  const stack: JsonContainer[] = [root];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const v: unknown = node[i];
        if (typeof v === "string") node[i] = sanitizeText(v);
        else if (isContainer(v)) stack.push(v);
      }
      continue;
    }
    let keysUnsafe = false;
    for (const key of Object.keys(node)) {
      const v = node[key];
      if (typeof v === "string") node[key] = sanitizeText(v);
      else if (isContainer(v)) stack.push(v);
      if (!keysUnsafe && MAYBE_UNSAFE.test(key)) keysUnsafe = true;
    }
    if (keysUnsafe) renameKeys(node);
  }
  return root;
}

/** Rewrites the keys of `obj` in order; defineProperty so a "__proto__" key stays a plain key. */
function renameKeys(obj: Record<string, unknown>): void {
  const entries = Object.keys(obj).map((k) => [sanitizeText(k), obj[k]] as const);
  for (const k of Object.keys(obj)) delete obj[k];
  for (const [k, value] of entries) {
    Object.defineProperty(obj, k, { value, enumerable: true, writable: true, configurable: true });
  }
}
