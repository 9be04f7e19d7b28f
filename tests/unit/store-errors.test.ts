// Store errors: what the tap retries (outage) and what it isolates (bad rows), and what may be
// said of them: never the statement, its parameters or a value.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { describeStoreError, storeErrorKind } from "../../server/db/errors";

/** As drizzle wraps a driver error: the statement and its parameters in the message. */
function wrapped(code: string, message: string, params: string): Error {
  const driver = Object.assign(new Error(message), { code, severity: "ERROR" });
  return Object.assign(new Error(`Failed query: INSERT INTO events SELECT * FROM json_to_recordset($1)\nparams: ${params}`), { cause: driver });
}

test("outages are retried, bad rows isolated", () => {
  const cases: Array<[string, "unavailable" | "data"]> = [
    ["ECONNREFUSED", "unavailable"], ["CONNECTION_CLOSED", "unavailable"], ["08006", "unavailable"], ["57P01", "unavailable"],
    ["57014", "unavailable"], ["53100", "unavailable"], ["40P01", "unavailable"], ["55P03", "unavailable"], ["XX000", "unavailable"],
    ["22007", "data"], ["22003", "data"], ["22P02", "data"], ["23505", "data"], ["42804", "data"], ["54001", "data"],
  ];
  for (const [code, kind] of cases) assert.equal(storeErrorKind(wrapped(code, "x", "[]")), kind, code);
  assert.equal(storeErrorKind(new RangeError("Invalid string length")), "data", "a statement we cannot even build is about its rows");
  assert.equal(storeErrorKind(new Error("PGlite is closed")), "unavailable");
});

test("the description names the condition and column, nothing from the statement or the value", () => {
  const err = wrapped("22007", 'invalid input syntax for type timestamp with time zone: "+058284-05-25T13:30:00.000Z"', '[{"secret":"card-4111"}]');
  (err.cause as Record<string, unknown>).column_name = "ts";
  assert.equal(describeStoreError(err), "SQLSTATE 22007 (invalid datetime format) in column ts");
  const down = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
  assert.equal(describeStoreError(down), "connect ECONNREFUSED 127.0.0.1:5432");
});

test("property: whatever the driver says, the description carries none of it", () => {
  fc.assert(
    fc.property(
      fc.constantFrom("22007", "22003", "23505", "42804", "XX000", "57014", "22P02", "ZZZZZ"),
      fc.string({ minLength: 8, maxLength: 60 }),
      fc.string({ minLength: 8, maxLength: 60 }),
      (code, message, params) => {
        const text = describeStoreError(wrapped(code, `${message} "${params}"`, params));
        assert.ok(!text.includes(message) && !text.includes(params), text);
        assert.ok(!/Failed query|params:|INSERT|SELECT/.test(text), text);
      },
    ),
  );
});
