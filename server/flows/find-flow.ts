import "server-only";
import { sql } from "drizzle-orm";
import type { Store } from "../db/client";
import { EVENT_COLUMNS, toEventJson, type EventJson, type EventRow } from "./event-json";
import { BadCursorError } from "./list-recent-flows";

/** More than this many events in one flow is a runaway key, not a business transaction. */
export const MAX_FLOW_EVENTS = 10_000;

/**
 * Payload text (value + headers JSON) one answer carries at most: 8 MiB. The page fetches a
 * live flow every 3 s, so this is what a browser may download and parse each time. It still
 * holds 128 events at the default 64 KiB value cap, and 10,000 events of ~800 bytes (the
 * demo's sagas): a normal flow meets the count limit first. The first event always comes,
 * whatever its size (FLOWTAP_VALUE_CAP_BYTES allows up to 16 MiB).
 */
export const MAX_FLOW_BYTES = 8 * 1024 * 1024;

export interface FlowPageOptions {
  /** nextCursor of the previous page: continue after its last event. */
  after?: string;
  /** Events per answer, 1…MAX_FLOW_EVENTS (the default). */
  limit?: number;
  /** Payload bytes per answer; tests lower it. */
  maxBytes?: number;
}

export interface Flow {
  correlationId: string;
  events: EventJson[];
  /** True when the flow has more events after these (the count or byte limit was reached). */
  truncated: boolean;
  /** Pass as `after` to get the next events; null when these were the last. */
  nextCursor: string | null;
}

type PageRow = EventRow & { cursor_ts: string; bytes: number; has_next: boolean };

interface Position {
  ts: string;
  topic: string;
  partition: number;
  offset: string;
}

const ISO_US = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;

function encodeCursor(r: PageRow): string {
  return Buffer.from(JSON.stringify([r.cursor_ts, r.topic, r.partition, r.offset])).toString("base64url");
}

function decodeCursor(cursor: string): Position {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(v) && v.length === 4) {
      const [ts, topic, partition, offset] = v as unknown[];
      if (typeof ts === "string" && ISO_US.test(ts) && typeof topic === "string" && Number.isInteger(partition) && typeof offset === "string" && /^\d{1,19}$/.test(offset)) {
        return { ts, topic, partition: partition as number, offset };
      }
    }
  } catch {
    // fall through to the error below
  }
  throw new BadCursorError("after: not a cursor this API gave out");
}

/**
 * One correlation ID's events in time order, a page at a time, or null when none is indexed.
 * A page ends at `limit` events or when the next event would take the payload text past
 * `maxBytes`; `truncated` and `nextCursor` then say that more follow.
 */
export async function findFlow(store: Store, correlationId: string, opts: FlowPageOptions = {}): Promise<Flow | null> {
  const limit = Math.max(1, Math.min(opts.limit ?? MAX_FLOW_EVENTS, MAX_FLOW_EVENTS));
  const maxBytes = opts.maxBytes ?? MAX_FLOW_BYTES;
  const from = opts.after === undefined ? null : decodeCursor(opts.after);
  // The window runs in the index's order, so it streams under the LIMIT. The outer filter stops
  // the store from sending rows past the byte cap: at most one of them leaves the database.
  const rows = await store.rows<PageRow>(sql`
    SELECT * FROM (
      SELECT ${EVENT_COLUMNS},
        to_char(events.ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_ts,
        octet_length(coalesce(events.value::text, '')) + octet_length(events.headers::text) AS bytes,
        sum(octet_length(coalesce(events.value::text, '')) + octet_length(events.headers::text)) OVER w AS upto,
        lead(events.partition) OVER w IS NOT NULL AS has_next
      FROM events
      WHERE correlation_id = ${correlationId}
      ${from ? sql`AND events.ts >= ${from.ts}::timestamptz AND (events.ts, events.topic, events.partition, events."offset") > (${from.ts}::timestamptz, ${from.topic}, ${from.partition}, ${from.offset}::bigint)` : sql``}
      WINDOW w AS (ORDER BY events.ts, events.topic, events.partition, events."offset" ROWS UNBOUNDED PRECEDING)
      -- Qualified: unqualified, ORDER BY would pick the text aliases of the select list ("10" < "9").
      ORDER BY events.ts, events.topic, events.partition, events."offset"
      LIMIT ${limit + 1}
    ) page
    WHERE upto - bytes < ${maxBytes}
  `);
  if (rows.length === 0) return from ? { correlationId, events: [], truncated: false, nextCursor: null } : null;
  const page: PageRow[] = [];
  let used = 0;
  for (const r of rows) {
    const bytes = Number(r.bytes);
    if (page.length === limit || (page.length > 0 && used + bytes > maxBytes)) break;
    page.push(r);
    used += bytes;
  }
  const last = page.at(-1)!;
  const truncated = page.length < rows.length || last.has_next;
  return { correlationId, events: page.map(toEventJson), truncated, nextCursor: truncated ? encodeCursor(last) : null };
}
