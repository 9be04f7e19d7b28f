import "server-only";
// The records the index could not hold as read: degraded ones (stored with anomalies) and
// quarantined ones (refused even reduced; only their coordinates and the reason are kept).
import { sql } from "drizzle-orm";
import type { Store } from "../db/client";
import { isoTs } from "../db/sql";

export interface QuarantinedRecord {
  topic: string;
  partition: number;
  offset: string;
  reason: string;
  size: number;
  quarantinedAt: string;
}

export interface DegradedRecord {
  topic: string;
  partition: number;
  offset: string;
  correlationId: string | null;
  anomalies: string[];
  indexedAt: string;
}

export interface SetAside {
  quarantined: QuarantinedRecord[];
  degraded: DegradedRecord[];
}

/** Newest first, at most `limit` of each; both reads use their own small index. */
export async function listSetAside(store: Store, limit: number): Promise<SetAside> {
  const quarantined = await store.rows<QuarantinedRecord>(sql`
    SELECT topic, partition, "offset"::text AS "offset", reason, size, ${isoTs(sql`quarantined_at`)} AS "quarantinedAt"
    FROM tap_quarantine ORDER BY quarantined_at DESC LIMIT ${limit}`);
  const degraded = await store.rows<DegradedRecord>(sql`
    SELECT topic, partition, "offset"::text AS "offset", correlation_id AS "correlationId", anomalies, ${isoTs(sql`indexed_at`)} AS "indexedAt"
    FROM events WHERE anomalies IS NOT NULL ORDER BY indexed_at DESC LIMIT ${limit}`);
  return { quarantined, degraded };
}
