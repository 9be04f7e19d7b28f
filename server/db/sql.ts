// SQL fragments shared by the domain queries, so both drivers return the same shapes
// (drizzle leaves timestamps as the server's text; int8 would be a string or a BigInt).
import { sql, type SQL } from "drizzle-orm";

/** A timestamptz rendered as ISO 8601 UTC with milliseconds. */
export function isoTs(column: SQL): SQL {
  return sql`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}
