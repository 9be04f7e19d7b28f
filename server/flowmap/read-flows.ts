import "server-only";
// GET /api/flowmap/flows: the flows behind a step, a transition, a stop or a variant of the map,
// newest first, from flowmap_members (never `events`). Flows are those whose last event falls in
// the window. A page walks flowmap_members_type_idx (flow_type, last_seen) backwards and filters
// what it walks; the walk stops after SCAN_BUDGET rows, so a rare filter never turns one request
// into a scan of a million flows: the page then ends early with a cursor where the walk stopped.
// Measured at 1,000,000 members of one type over 24 h on PostgreSQL: a dense filter answers in
// milliseconds; a full walk of the budget costs ~0.3–0.8 s on busy cores (paths are tested per row).
import { sql, type SQL } from "drizzle-orm";
import type { FlowmapFlowsQuery, MapFlowItem, MapFlowPage } from "../contract/flowmap";
import { parseStepKey, stepKey } from "../analysis/steps";
import type { Store } from "../db/client";
import { isoTs } from "../db/sql";
import { BadCursorError } from "../flows/list-recent-flows";
import { isoOf, resolveWindow } from "./read-window";

/** Rows one page may walk: ~20 ms of index and heap reads on PostgreSQL (a dense page stops far sooner). */
export const SCAN_BUDGET = 20_000;
const ISO_US = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;

export interface ReadFlowsInput {
  query: FlowmapFlowsQuery;
  now: Date;
  stuckAfterMs: number;
  /** Tests lower it. */
  scanBudget?: number;
}

type Row = {
  correlation_id: string; flow_type: string; first_seen: string; last_seen: string; status: MapFlowItem["status"];
  last_service: string; last_event_type: string; steps: number; stuck: boolean; pos: string; hit: boolean; rn: number | string;
};

const encodeCursor = (pos: string, id: string) => Buffer.from(JSON.stringify([pos, id])).toString("base64url");

function decodeCursor(cursor: string): [string, string] {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === "string" && ISO_US.test(v[0]) && typeof v[1] === "string") return [v[0], v[1]];
  } catch {
    // fall through
  }
  throw new BadCursorError("cursor: not a cursor this API gave out");
}

function filters(q: FlowmapFlowsQuery, stuckBefore: SQL): SQL[] {
  const where: SQL[] = [];
  const stuck = stuckSql(stuckBefore);
  if (q.step !== undefined) where.push(sql`${q.step} = ANY(m.path)`);
  if (q.from !== undefined && q.to !== undefined) {
    where.push(sql`EXISTS (SELECT 1 FROM generate_subscripts(m.path, 1) AS i WHERE m.path[i] = ${q.from} AND m.path[i + 1] = ${q.to})`);
  }
  if (q.stop !== undefined) {
    const s = parseStepKey(q.stop);
    where.push(sql`m.last_service = ${s.service} AND m.last_event_type = ${s.eventType}`);
  }
  if (q.variant !== undefined) where.push(sql`m.variant = ${q.variant}`);
  // A stop's flows are the stopped ones unless a status says otherwise.
  const status = q.status === "all" && q.stop !== undefined ? "stopped" : q.status;
  if (status === "stopped") where.push(sql`(m.status = 'dlq' OR ${stuck})`);
  if (status === "stuck") where.push(stuck);
  if (status === "dlq") where.push(sql`m.status = 'dlq'`);
  if (status === "completed") where.push(sql`m.status = 'completed'`);
  if (status === "open") where.push(sql`(m.status = 'open' AND NOT ${stuck})`);
  return where;
}

export async function readMapFlows(store: Store, input: ReadFlowsInput): Promise<MapFlowPage> {
  const q = input.query;
  const w = resolveWindow(q, input.now.getTime());
  const stuckBefore = sql`${isoOf(input.now.getTime() - input.stuckAfterMs)}::timestamptz`;
  const budget = input.scanBudget ?? SCAN_BUDGET;
  const after = q.cursor === undefined ? null : decodeCursor(q.cursor);
  const where = filters(q, stuckBefore);
  const hit = where.length ? sql.join(where, sql` AND `) : sql`true`;
  // The walk streams in index order and stops at the (limit + 1)th hit; only a sparse filter walks
  // all of its budget, and then the walk's last row (rn = budget) comes back as where to go on.
  const rows = await store.rows<Row>(sql`
    SELECT correlation_id, flow_type, ${isoTs(sql`first_seen`)} AS first_seen, ${isoTs(sql`last_seen`)} AS last_seen, status,
           last_service, last_event_type, steps, stuck, pos, hit, rn
    FROM (
      SELECT m.correlation_id, m.flow_type, m.first_seen, m.last_seen, m.status, m.last_service, m.last_event_type,
             cardinality(m.path) AS steps, ${stuckSql(stuckBefore)} AS stuck,
             to_char(m.last_seen AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS pos, (${hit}) AS hit,
             row_number() OVER (ORDER BY m.last_seen DESC, m.correlation_id DESC) AS rn
      FROM flowmap_members m
      WHERE m.flow_type = ${q.type} AND m.last_seen >= ${isoOf(w.sinceMs)}::timestamptz AND m.last_seen < ${isoOf(w.untilMs)}::timestamptz
        ${after ? sql`AND m.last_seen <= ${after[0]}::timestamptz AND (m.last_seen < ${after[0]}::timestamptz OR m.correlation_id < ${after[1]})` : sql``}
      ORDER BY m.last_seen DESC, m.correlation_id DESC
      LIMIT ${budget}
    ) walk
    WHERE hit OR rn = ${budget}
    -- Qualified: the output's last_seen is the ISO text; the walk's is the time, already in order.
    ORDER BY walk.last_seen DESC, walk.correlation_id DESC
    LIMIT ${q.limit + 1}`);
  const hits = rows.filter((r) => r.hit);
  const end = rows.find((r) => Number(r.rn) === budget);
  const page = hits.slice(0, q.limit);
  let nextCursor: string | null = null;
  if (hits.length > q.limit) nextCursor = encodeCursor(page[page.length - 1]!.pos, page[page.length - 1]!.correlation_id);
  else if (end) nextCursor = encodeCursor(end.pos, end.correlation_id);
  return {
    flows: page.map((r) => ({
      correlationId: r.correlation_id, flowType: r.flow_type, firstSeen: r.first_seen, lastSeen: r.last_seen, status: r.status,
      stuck: r.stuck, lastStep: stepKey({ service: r.last_service, eventType: r.last_event_type }), steps: r.steps,
    })),
    nextCursor,
  };
}

function stuckSql(stuckBefore: SQL): SQL {
  return sql`(m.status = 'open' AND m.last_seen < ${stuckBefore})`;
}
