import "server-only";
import { sql } from "drizzle-orm";
import type { Store } from "../db/client";
import { isoTs } from "../db/sql";
import { FLOW_COLUMNS, toFlowSummary, type FlowRow, type FlowSummary } from "./flow-summary";

/** Identifiers are stored cut to this length (see the extractor's idMaxChars). */
const ID_MAX_CHARS = 512;
const MAX_FLOWS = 50;
const MAX_LOOSE_RECORDS = 20;

export type SearchResult =
  | (FlowSummary & { matched: "flow" })
  | {
      matched: "record";
      correlationId: null;
      record: { topic: string; partition: number; offset: string; eventType: string | null; timestamp: string };
    };

/**
 * Exact match on correlation ID, event ID, trace ID or record key, answered from the
 * index. Records without a correlation ID come back as single records.
 */
export async function searchIndex(store: Store, q: string, now: Date, stuckAfterMs: number): Promise<SearchResult[]> {
  const needle = q.slice(0, ID_MAX_CHARS);
  const hits = await store.rows<{ correlation_id: string | null; topic: string; partition: number; offset: string; event_type: string | null; ts: string }>(sql`
    SELECT correlation_id, topic, partition, "offset"::text AS "offset", event_type,
           ${isoTs(sql`ts`)} AS ts
    FROM events
    WHERE correlation_id = ${needle} OR event_id = ${needle} OR trace_id = ${needle} OR key = ${needle}
    LIMIT 1000
  `);
  const ids = [...new Set(hits.map((h) => h.correlation_id).filter((id): id is string => id !== null))];
  const flows = ids.length
    ? await store.rows<FlowRow>(sql`
        SELECT ${FLOW_COLUMNS} FROM flows WHERE correlation_id IN (${sql.join(ids.slice(0, 200).map((id) => sql`${id}`), sql`, `)})
        ORDER BY flows.last_seen DESC LIMIT ${MAX_FLOWS}`)
    : [];
  const results: SearchResult[] = flows.map((f) => ({ ...toFlowSummary(f, now, stuckAfterMs), matched: "flow" as const }));
  for (const h of hits) {
    if (h.correlation_id !== null) continue;
    if (results.length >= MAX_FLOWS + MAX_LOOSE_RECORDS) break;
    results.push({
      matched: "record",
      correlationId: null,
      record: { topic: h.topic, partition: h.partition, offset: h.offset, eventType: h.event_type, timestamp: h.ts },
    });
  }
  return results;
}
