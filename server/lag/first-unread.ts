import "server-only";
// The I/O half of first-unread-plan.ts: one statement a tick, a primary-key range scan with
// LIMIT 1 per lagging partition (5,000 of them: 106 ms on PGlite at 200k records).
import { sql } from "drizzle-orm";
import type { Store } from "../db/client";
import { firstUnreadKey, type FirstUnreadLookup } from "./first-unread-plan";

/** The extractor stores unreadable or out-of-range times as 1970-01-01 or 9999-12-31: not a time to measure from. */
const MIN_TS = 0;
const MAX_TS = Date.UTC(9999, 11, 31);

/** firstUnreadKey → the first unread record's timestamp (ms); absent when not indexed or unusable. */
export async function readFirstUnread(store: Store, lookups: readonly FirstUnreadLookup[]): Promise<Map<string, number>> {
  if (lookups.length === 0) return new Map();
  const rows = await store.rows<{ topic: string; partition: number; from: string; ts_ms: number }>(sql`
    SELECT x.topic, x.partition, x."from"::text AS "from", (extract(epoch FROM f.ts) * 1000)::float8 AS ts_ms
    FROM json_to_recordset(${JSON.stringify(lookups)}::json) AS x(topic text, partition int, "from" bigint, until bigint)
    CROSS JOIN LATERAL (
      SELECT e.ts FROM events e
      WHERE e.topic = x.topic AND e.partition = x.partition AND e."offset" >= x."from" AND e."offset" < x.until
      ORDER BY e."offset" LIMIT 1
    ) f`);
  const out = new Map<string, number>();
  for (const r of rows) {
    const ts = Number(r.ts_ms);
    if (Number.isFinite(ts) && ts > MIN_TS && ts < MAX_TS) out.set(firstUnreadKey(r.topic, Number(r.partition), r.from), ts);
  }
  return out;
}
