// What a store error means and how to speak of it. The tap needs the first (an outage is
// retried, bad data is isolated), logs, health and HTTP errors the second: drizzle's message
// carries the whole statement with its parameters, i.e. payloads, and PostgreSQL's own texts
// quote the offending value ("invalid input syntax …: \"…\""). Neither may leave the process.

/** postgres.js and node socket codes, PostgreSQL's connection classes. */
const UNAVAILABLE_CODE = /^(E[A-Z]+|CONNECT_TIMEOUT|CONNECTION_CLOSED|CONNECTION_ENDED|CONNECTION_DESTROYED|57P0[1-3]|08\w{3})$/;

/**
 * SQLSTATE classes that say nothing about the rows: connection (08), transaction rollback
 * (40: serialization, deadlock), insufficient resources (53: disk full, out of memory), object
 * state (55: lock not available), operator intervention (57, including 57014 from
 * statement_timeout: a statement that waited on a lock or a loaded server, not one whose rows
 * are wrong), system (58) and internal errors (XX). The same statement may pass later.
 */
const TRANSIENT_STATE = /^(08|40|53|55|57|58|XX)/;

const SQLSTATE = /^[0-9A-Z]{5}$/;

/** Names of the conditions the tap and the API meet, so logs say more than a code. */
const CONDITIONS: Record<string, string> = {
  "22001": "string too long", "22003": "number out of range", "22007": "invalid datetime format",
  "22008": "datetime out of range", "22021": "invalid byte sequence", "22023": "invalid parameter value",
  "22P02": "invalid text representation", "22P05": "untranslatable character", "22026": "string length mismatch",
  "23502": "not-null violation", "23505": "unique violation", "23514": "check violation",
  "42804": "datatype mismatch", "54000": "program limit exceeded", "54001": "statement too complex",
  "57014": "statement cancelled (statement_timeout)", "40001": "serialization failure", "40P01": "deadlock",
  "53100": "disk full", "53200": "out of memory", "53300": "too many connections", "55P03": "lock not available",
  "57P01": "server shutting down", "57P03": "server not accepting connections yet",
};

function causes(err: unknown): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  for (let e: unknown = err; e !== null && typeof e === "object" && out.length < 5; e = (e as { cause?: unknown }).cause) {
    out.push(e as Record<string, unknown>);
  }
  return out;
}

/** The first error code in the cause chain (SQLSTATE, socket or driver code), or null. */
export function storeErrorCode(err: unknown): string | null {
  for (const e of causes(err)) {
    const c = e.code;
    if (typeof c === "string" && c !== "") return c;
  }
  return null;
}

/** From the store or its driver (a code, or drizzle's "Failed query" wrapper): its own text may quote data. */
export function isStoreError(err: unknown): boolean {
  return storeErrorCode(err) !== null || causes(err).some((e) => typeof e.message === "string" && e.message.startsWith("Failed query"));
}

/** The store cannot be reached (wrapped or not): API callers get a 503, the tap waits and retries. */
export function isStoreUnavailable(err: unknown): boolean {
  const c = storeErrorCode(err);
  if (c !== null && UNAVAILABLE_CODE.test(c)) return true;
  // PGlite closed under us (shutdown): not the rows' fault.
  return causes(err).some((e) => typeof e.message === "string" && /PGlite is closed/i.test(e.message));
}

/**
 * "unavailable": retry the same statement later. "data": the rows themselves are refused
 * (SQLSTATE 22 data exception, 23 integrity, 42804 type mismatch, 54 limits, or a JavaScript
 * error building the statement): retrying them unchanged would never end.
 */
export function storeErrorKind(err: unknown): "unavailable" | "data" {
  if (isStoreUnavailable(err)) return "unavailable";
  const c = storeErrorCode(err);
  if (c !== null && SQLSTATE.test(c) && TRANSIENT_STATE.test(c)) return "unavailable";
  return "data";
}

/**
 * A description safe to log, store and show: the SQLSTATE with its condition, or the socket
 * code and the driver's own connection text. Never the statement, its parameters or a value.
 */
export function describeStoreError(err: unknown): string {
  const c = storeErrorCode(err);
  if (c !== null && SQLSTATE.test(c)) {
    const where = causes(err).map((e) => e.column_name ?? e.column).find((v) => typeof v === "string");
    return `SQLSTATE ${c}${CONDITIONS[c] ? ` (${CONDITIONS[c]})` : ""}${where ? ` in column ${String(where)}` : ""}`;
  }
  if (c !== null && UNAVAILABLE_CODE.test(c)) {
    // Connection texts name the address ("connect ECONNREFUSED 127.0.0.1:5432"), never data.
    const driver = causes(err).at(-1);
    const text = typeof driver?.message === "string" ? driver.message.split("\n")[0]!.slice(0, 200) : "";
    return text.includes(c) ? text : `${c}${text ? `: ${text}` : ""}`;
  }
  const last = causes(err).at(-1);
  const name = typeof last?.name === "string" ? last.name : "Error";
  if (isStoreUnavailable(err)) return "the embedded store is closed";
  return c !== null ? `${name} ${c}` : name;
}
