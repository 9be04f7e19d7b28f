// The message list's keyset cursor: the last row's (ts, partition, offset), opaque to clients
// (base64url JSON, as the flows list does), so its shape can change without breaking links.
import { BadCursorError } from "../flows/list-recent-flows";

export interface RecordPosition {
  ts: string;
  partition: number;
  offset: string;
}

export function encodeCursor(p: RecordPosition): string {
  return Buffer.from(JSON.stringify([p.ts, p.partition, p.offset])).toString("base64url");
}

/** The position a cursor stands for; BadCursorError when it is not one this API gave out. */
export function decodeCursor(cursor: string): RecordPosition {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(v) && v.length === 3) {
      const [ts, partition, offset] = v as unknown[];
      if (typeof ts === "string" && !Number.isNaN(Date.parse(ts)) && Number.isInteger(partition) && (partition as number) >= 0 && typeof offset === "string" && /^\d{1,19}$/.test(offset)) {
        return { ts, partition: partition as number, offset };
      }
    }
  } catch {
    // fall through to the error below
  }
  throw new BadCursorError("cursor: not a cursor this API gave out");
}
