import "server-only";
import { sql } from "drizzle-orm";
import type { Store } from "../db/client";
import { isoTs } from "../db/sql";

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  outcome: string;
  detail: unknown;
}

/** Newest first; `before` is the id of the last entry of the previous page. */
export async function listAudit(store: Store, input: { limit: number; before?: number }): Promise<{ entries: AuditEntry[]; nextCursor: number | null }> {
  const rows = await store.rows<AuditEntry>(sql`
    SELECT id::int AS id, ${isoTs(sql`at`)} AS at, actor, action, outcome, detail FROM audit_log
    ${input.before ? sql`WHERE id < ${input.before}` : sql``}
    ORDER BY id DESC LIMIT ${input.limit + 1}`);
  const entries = rows.slice(0, input.limit);
  return { entries, nextCursor: rows.length > input.limit ? entries[entries.length - 1]!.id : null };
}
