import "server-only";
// One statement writes a chunk's whole flow-map delta: each aggregate table gets its rows added
// (ON CONFLICT … SET n = n + excluded.n), flowmap_members gets its upserts and deletes. One JSON
// parameter, expanded with json_to_recordset as the events statement does, so the cost is one
// parse and one round trip whatever the chunk holds.
import { sql, type SQL } from "drizzle-orm";
import type { Store } from "../db/client";
import { TABLE_NAMES, TABLES, toRecord, type AggRow, type TableName } from "../analysis/flowmap-rows";
import type { Member } from "../analysis/flow-contribution";

export interface MemberWrite {
  correlationId: string;
  member: Member;
}

export const PHYSICAL: Record<TableName, string> = {
  flows: "flowmap_flows", steps: "flowmap_steps", transitions: "flowmap_transitions", stops: "flowmap_stops", variants: "flowmap_variants",
};

const typeOf = (column: string) => (column === "bucket" ? "smallint" : "text");

/**
 * Rows are inserted in primary-key order. Two taps writing the same minute's rows (every chunk
 * touches the grain-0 rows of its types) then take the row locks in the same order, table after
 * table in the statement's fixed order, and cannot deadlock.
 */
function upsertTable(table: TableName): SQL {
  const spec = TABLES[table];
  const keys = ["grain", "t", ...spec.keys];
  const cols = [...keys, ...spec.counts, ...(table === "variants" ? ["steps"] : [])];
  const recordType = [
    "grain int", "t timestamptz", ...spec.keys.map((k) => `${k} ${typeOf(k)}`), ...spec.counts.map((c) => `${c} bigint`),
    ...(table === "variants" ? ["steps json"] : []),
  ].join(", ");
  const add = spec.counts.map((c) => `${c} = x.${c} + excluded.${c}`).join(", ");
  return sql.raw(`INSERT INTO ${PHYSICAL[table]} AS x (${cols.join(", ")})
      SELECT ${cols.join(", ")} FROM json_to_recordset((SELECT j->'${table}' FROM p)) AS r(${recordType})
      ORDER BY ${keys.join(", ")}
      ON CONFLICT (${keys.join(", ")}) DO UPDATE SET ${add}
      RETURNING 1`);
}

const STATEMENT_HEAD = TABLE_NAMES.map((t) => sql`${sql.raw(`u_${t}`)} AS (${upsertTable(t)})`);

/** flowmap_members: rows of flows still on the map upserted, rows of flows now off it deleted. */
async function writeMembers(tx: Store, upserts: readonly MemberWrite[], deletes: readonly string[]): Promise<void> {
  if (upserts.length === 0 && deletes.length === 0) return;
  // Times as epoch ms and the path as one string: json_to_recordset then converts no ISO text and
  // no JSON array per row (measured: 22 → 18 ms per 1,000 members on PostgreSQL).
  const members = upserts.map(({ correlationId, member: m }) => ({
    correlation_id: correlationId, flow_type: m.flowType, first_seen: m.firstSeen, last_seen: m.lastSeen, last_service: m.lastService,
    last_event_type: m.lastEventType, status: m.status, variant: m.variant, path: m.path.join("\u001e"),
  }));
  await tx.rows(sql`
    WITH p AS (SELECT ${JSON.stringify({ members, gone: deletes })}::json AS j),
    u_members AS (
      INSERT INTO flowmap_members AS x (correlation_id, flow_type, first_seen, last_seen, last_service, last_event_type, status, variant, path)
      SELECT correlation_id, flow_type, to_timestamp(first_seen / 1000), to_timestamp(last_seen / 1000), last_service, last_event_type,
             status, variant, string_to_array(path, chr(30))
      FROM json_to_recordset((SELECT j->'members' FROM p)) AS r(correlation_id text, flow_type text,
        first_seen float8, last_seen float8, last_service text, last_event_type text, status text, variant text, path text)
      ORDER BY correlation_id
      ON CONFLICT (correlation_id) DO UPDATE SET flow_type = excluded.flow_type, first_seen = excluded.first_seen,
        last_seen = excluded.last_seen, last_service = excluded.last_service, last_event_type = excluded.last_event_type,
        status = excluded.status, variant = excluded.variant, path = excluded.path
      RETURNING 1
    ),
    d_members AS (
      DELETE FROM flowmap_members WHERE correlation_id IN (SELECT json_array_elements_text(j->'gone') FROM p) RETURNING 1
    )
    SELECT 1 AS done`);
}

/**
 * Members first, the aggregate rows last: every chunk of a tap adds to the same hot rows (the
 * all-time and current hour rows of its types), and a row lock is held until COMMIT, so the
 * statement that takes them goes right before it.
 */
export async function applyDelta(tx: Store, rows: readonly AggRow[], upserts: readonly MemberWrite[], deletes: readonly string[]): Promise<void> {
  await writeMembers(tx, upserts, deletes);
  if (rows.length === 0) return;
  const payload: Record<string, unknown[]> = {};
  for (const t of TABLE_NAMES) payload[t] = [];
  for (const r of rows) {
    const record: Record<string, unknown> = toRecord(r);
    // Nested as JSON (not as a string holding JSON), so json_to_recordset hands the column its text.
    if (r.steps !== undefined) record.steps = JSON.parse(r.steps) as unknown;
    payload[r.table]!.push(record);
  }
  await tx.rows(sql`
    WITH p AS (SELECT ${JSON.stringify(payload)}::json AS j),
    ${sql.join(STATEMENT_HEAD, sql`, `)}
    SELECT 1 AS done`);
}
