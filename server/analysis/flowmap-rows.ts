// Rows of the flow map's aggregate tables (server/db/schema/flowmap.ts) as plain data, and the
// arithmetic the tap does on them: add a flow's contribution, subtract its previous one, spread
// a minute row over the three grains. Pure.

export type TableName = "flows" | "steps" | "transitions" | "stops" | "variants";

/** Each table's key columns after (grain, t), and its count columns, in the schema's names. */
export const TABLES: Record<TableName, { keys: readonly string[]; counts: readonly string[] }> = {
  flows: { keys: ["flow_type"], counts: ["flows", "completed", "dlq"] },
  steps: { keys: ["flow_type", "service", "event_type"], counts: ["flows", "events", "dlq", "duplicates", "out_of_order"] },
  transitions: { keys: ["flow_type", "from_service", "from_event_type", "to_service", "to_event_type", "bucket"], counts: ["flows"] },
  stops: { keys: ["flow_type", "service", "event_type", "status"], counts: ["flows"] },
  variants: { keys: ["flow_type", "variant"], counts: ["flows"] },
};
export const TABLE_NAMES = Object.keys(TABLES) as TableName[];

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
/** (grain, bucket size): per minute, per hour, all time (t = the epoch). */
export const GRAINS: ReadonlyArray<readonly [number, number]> = [[60, MINUTE_MS], [3600, HOUR_MS], [0, 0]];

export interface AggRow {
  /** Identity (table, grain, t, key) as one string: rows with the same id add up. */
  id: string;
  table: TableName;
  grain: number;
  /** Start of the minute or hour, epoch ms (0 for grain 0). */
  t: number;
  /** Values of TABLES[table].keys, in order. */
  key: ReadonlyArray<string | number>;
  counts: number[];
  /** flowmap_variants.steps: [[service, eventType], …] as JSON text (not a key: it follows from the variant). */
  steps?: string;
}

/** Rows by id. */
export type RowSet = Map<string, AggRow>;

// NUL never occurs in PostgreSQL text, which every name comes from, so joining on it is unambiguous.
// (The tap builds ids of minute rows its own, cheaper way, in flow-contribution.ts; any injective
// scheme works as long as one set holds ids of one scheme.)
export const rowId = (table: TableName, grain: number, t: number, key: ReadonlyArray<string | number>) => `${table}\u0000${grain}\u0000${t}\u0000${key.join("\u0000")}`;

/**
 * Adds `sign` × row into `set`, merging with the row of the same id. The tap calls this ~20 times
 * per record, so no spreads: a new row is built field by field.
 */
export function addRow(set: RowSet, row: AggRow, sign = 1): void {
  const have = set.get(row.id);
  if (have) {
    for (let i = 0; i < row.counts.length; i++) have.counts[i]! += sign * row.counts[i]!;
    return;
  }
  const counts = row.counts.slice();
  if (sign !== 1) for (let i = 0; i < counts.length; i++) counts[i]! *= sign;
  set.set(row.id, { id: row.id, table: row.table, grain: row.grain, t: row.t, key: row.key, counts, steps: row.steps });
}

export function addAll(set: RowSet, rows: Iterable<AggRow>, sign = 1): void {
  for (const r of rows) addRow(set, r, sign);
}

/** The row (at minute grain) spread over the three grains. */
export function atGrains(row: AggRow): AggRow[] {
  return GRAINS.map(([grain, size]) => {
    const t = size === 0 ? 0 : Math.floor(row.t / size) * size;
    return { id: rowId(row.table, grain, t, row.key), table: row.table, grain, t, key: row.key, counts: row.counts.slice(), steps: row.steps };
  });
}

/** Minute rows summed at all three grains, rows that sum to zero left out. */
export function expandGrains(minute: Iterable<AggRow>): AggRow[] {
  const out: RowSet = new Map();
  for (const r of minute) if (r.counts.some((c) => c !== 0)) addAll(out, atGrains(r));
  return nonZero(out);
}

/** Rows whose counts are not all zero (what a delta has to write; what a comparison looks at). */
export function nonZero(set: RowSet): AggRow[] {
  return [...set.values()].filter((r) => r.counts.some((c) => c !== 0));
}

/** A row as the table's columns (t as ISO 8601), for a JSON statement parameter or a comparison. */
export function toRecord(r: AggRow): Record<string, string | number> {
  const spec = TABLES[r.table];
  const out: Record<string, string | number> = { grain: r.grain, t: new Date(r.t).toISOString() };
  spec.keys.forEach((k, i) => (out[k] = r.key[i]!));
  spec.counts.forEach((k, i) => (out[k] = r.counts[i]!));
  if (r.steps !== undefined) out.steps = r.steps;
  return out;
}

/**
 * A short stable hash of a step sequence: 64 bits as 16 hex digits (two 32-bit FNV-1a lanes with
 * different seeds, then mixed). Stored in flowmap_variants and flowmap_members, so it must never
 * change: a new hash would split every variant in two at the upgrade. At 10,000 variants of a type
 * an ideal 64-bit hash collides with odds of about 3 in a trillion.
 */
export function variantHash(keys: readonly string[]): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  const text = keys.join("\u001e");
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 15);
  }
  a = Math.imul(a ^ (a >>> 16), 0x85ebca6b) ^ text.length;
  b = Math.imul(b ^ (b >>> 13), 0xc2b2ae35) ^ a;
  return (a >>> 0).toString(16).padStart(8, "0") + (b >>> 0).toString(16).padStart(8, "0");
}
