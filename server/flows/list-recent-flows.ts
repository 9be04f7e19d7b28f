import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { Store } from "../db/client";
import { FLOW_COLUMNS, toFlowSummary, type FlowRow, type FlowSummary } from "./flow-summary";

export type FlowStatusFilter = "all" | "dlq" | "stuck" | "completed" | "open";

export interface ListFlowsInput {
  limit: number;
  /** Opaque cursor from a previous page's nextCursor. */
  before?: string;
  status: FlowStatusFilter;
  now: Date;
  stuckAfterMs: number;
}

export class BadCursorError extends Error {}

function encodeCursor(row: FlowRow): string {
  return Buffer.from(JSON.stringify([row.last_seen, row.correlation_id])).toString("base64url");
}

function decodeCursor(cursor: string): [string, string] {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === "string" && typeof v[1] === "string" && !Number.isNaN(Date.parse(v[0]))) {
      return [v[0], v[1]];
    }
  } catch {
    // fall through to the error below
  }
  throw new BadCursorError("before: not a cursor this API gave out");
}

/** Recent flows, newest activity first, keyset-paginated on (last_seen, correlation_id). */
export async function listRecentFlows(store: Store, input: ListFlowsInput): Promise<{ flows: FlowSummary[]; nextCursor: string | null }> {
  const where: SQL[] = [];
  if (input.before) {
    const [lastSeen, id] = decodeCursor(input.before);
    where.push(sql`(last_seen, correlation_id) < (${lastSeen}::timestamptz, ${id})`);
  }
  const stuckBefore = new Date(input.now.getTime() - input.stuckAfterMs).toISOString();
  if (input.status === "dlq") where.push(sql`has_dlq`);
  if (input.status === "completed") where.push(sql`completed`);
  if (input.status === "open") where.push(sql`NOT completed`);
  if (input.status === "stuck") where.push(sql`NOT completed AND last_seen < ${stuckBefore}::timestamptz`);
  const rows = await store.rows<FlowRow>(sql`
    SELECT ${FLOW_COLUMNS} FROM flows
    ${where.length ? sql`WHERE ${sql.join(where, sql` AND `)}` : sql``}
    -- Qualified so the index on (last_seen, correlation_id) serves it, not the text alias.
    ORDER BY flows.last_seen DESC, flows.correlation_id DESC
    LIMIT ${input.limit + 1}
  `);
  const page = rows.slice(0, input.limit);
  return {
    flows: page.map((r) => toFlowSummary(r, input.now, input.stuckAfterMs)),
    nextCursor: rows.length > input.limit && page.length ? encodeCursor(page[page.length - 1]!) : null,
  };
}
