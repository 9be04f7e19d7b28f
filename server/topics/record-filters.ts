import "server-only";
// The record list's filters as one SQL predicate over `events`. None of them has an index of its
// own in the window (events_key_idx is by key across all topics and times): they are checked on
// the rows the window's index scan yields, which is why a filtered request examines a bounded
// number of rows (list-topic-records.ts).
import { sql, type SQL } from "drizzle-orm";
import type { HeaderMatch } from "../contract/topics";

export interface RecordFilters {
  /** Time mode only: in partition/offset mode the partition is part of the range. */
  partition?: number;
  key?: string;
  eventType?: string;
  header?: HeaderMatch;
  contains?: string;
}

const BINARY_KEY = "base64:";

/** The predicate, or null when nothing filters. */
export function filterSql(f: RecordFilters): SQL | null {
  const parts: SQL[] = [];
  if (f.partition !== undefined) parts.push(sql`events.partition = ${f.partition}`);
  if (f.key !== undefined) {
    // The UI shows a binary key as "base64:<its base64>" (components/flow/bytes.ts keyText).
    const binary = f.key.startsWith(BINARY_KEY) ? sql` OR (events.key_binary AND events.key = ${f.key.slice(BINARY_KEY.length)})` : sql``;
    parts.push(sql`((NOT events.key_binary AND events.key = ${f.key})${binary})`);
  }
  if (f.eventType !== undefined) parts.push(sql`events.event_type = ${f.eventType}`);
  // ->> on json (not jsonb) reads the stored text up to the name; ::text picks the object-key
  // operator over the array-index one. Non-UTF-8 values are { "base64": … } objects: never equal.
  if (f.header !== undefined) parts.push(sql`(events.headers ->> ${f.header.name}::text) = ${f.header.value}`);
  if (f.contains !== undefined) {
    // The value is kept as its JSON text, where a text payload's quotes, backslashes and control
    // characters are escaped: look for the needle both as typed and as JSON would spell it.
    const escaped = JSON.stringify(f.contains).slice(1, -1);
    const also = escaped === f.contains ? sql`` : sql` OR strpos(events.value::text, ${escaped}) > 0`;
    parts.push(sql`(strpos(events.value::text, ${f.contains}) > 0${also})`);
  }
  return parts.length === 0 ? null : sql`coalesce(${sql.join(parts, sql` AND `)}, false)`;
}
