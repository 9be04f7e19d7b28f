// Lookups into parsed JSON. Only own properties count, so paths such as
// "constructor" or "__proto__" never reach Object.prototype.

export type JsonObject = Record<string, unknown>;

export function asObject(v: unknown): JsonObject | null {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as JsonObject) : null;
}

export function ownField(obj: JsonObject, key: string): unknown {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}

const INDEX = /^\d+$/;

/** Follows `segments` from `root`; numeric segments index arrays. */
export function getPath(root: unknown, segments: readonly string[]): unknown {
  let cur = root;
  for (const seg of segments) {
    if (Array.isArray(cur)) {
      if (!INDEX.test(seg)) return undefined;
      cur = (cur as unknown[])[Number(seg)];
      continue;
    }
    const obj = asObject(cur);
    if (obj === null) return undefined;
    cur = ownField(obj, seg);
  }
  return cur;
}

/** Splits a dotted path; null when a segment is empty ("a..b", ".a", "a."). */
export function splitPath(path: string): string[] | null {
  const segments = path.split(".");
  return segments.every((s) => s !== "") ? segments : null;
}
