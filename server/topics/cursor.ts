// The record list's keyset cursor, opaque to clients (base64url JSON). It carries the position
// of the last row examined, the window the first page resolved (so "the last 15 minutes" does
// not slide while paging), and a fingerprint of the order, mode and filters: a cursor sent with
// other parameters would page through a different list, with gaps or repeats, so it is refused.
import { createHash } from "node:crypto";
import { BadCursorError } from "../flows/list-recent-flows";

export interface RecordPosition {
  /** Null in partition/offset mode, where the offset alone orders the rows. */
  ts: string | null;
  partition: number;
  offset: string;
}

export interface CursorState {
  fingerprint: string;
  window: { from: string; to: string } | null;
  at: RecordPosition;
}

const VERSION = 1;
const MAX_INT64 = 2n ** 63n - 1n;

/** What a cursor must have been given for: everything that shapes the list except the window. */
export function fingerprint(shape: unknown): string {
  return createHash("sha256").update(JSON.stringify(shape)).digest("base64url").slice(0, 16);
}

export function encodeCursor(c: CursorState): string {
  const w = c.window;
  return Buffer.from(JSON.stringify([VERSION, c.fingerprint, w?.from ?? null, w?.to ?? null, c.at.ts, c.at.partition, c.at.offset])).toString("base64url");
}

const isInstant = (v: unknown): v is string => typeof v === "string" && v.length <= 40 && !Number.isNaN(Date.parse(v));

/** The state a cursor stands for; BadCursorError unless this API gave it out for this request's shape. */
export function decodeCursor(cursor: string, expected: string): CursorState {
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    v = null;
  }
  if (Array.isArray(v) && v.length === 7 && v[0] === VERSION) {
    const [, fp, from, to, ts, partition, offset] = v as unknown[];
    const window = isInstant(from) && isInstant(to) ? { from, to } : from === null && to === null ? null : undefined;
    const position =
      (ts === null || isInstant(ts)) &&
      Number.isInteger(partition) && (partition as number) >= 0 && (partition as number) <= 2_147_483_647 &&
      typeof offset === "string" && /^\d{1,19}$/.test(offset) && BigInt(offset) <= MAX_INT64;
    if (typeof fp === "string" && window !== undefined && position && (window === null) === (ts === null)) {
      if (fp !== expected) throw new BadCursorError("cursor: was given out for another order, partition or filters; start again without it");
      return { fingerprint: fp, window, at: { ts: ts as string | null, partition: partition as number, offset: offset as string } };
    }
  }
  throw new BadCursorError("cursor: not a cursor this API gave out");
}
