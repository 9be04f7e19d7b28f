import { test } from "node:test";
import assert from "node:assert/strict";
import { DrizzleQueryError } from "drizzle-orm/errors";
import { parseConfig } from "../../server/config";
import { handle, publicMessage } from "../../server/http/respond";

const wrapped = (code: string, text: string) =>
  new DrizzleQueryError("SELECT * FROM events WHERE correlation_id = $1", ["ord-secret-42"], Object.assign(new Error(text), { code }));

test("FLOWTAP_STATEMENT_TIMEOUT_MS: 30 s by default, never 0 (no limit)", () => {
  assert.equal(parseConfig({}).statementTimeoutMs, 30_000);
  assert.equal(parseConfig({ FLOWTAP_STATEMENT_TIMEOUT_MS: "500" }).statementTimeoutMs, 500);
  assert.throws(() => parseConfig({ FLOWTAP_STATEMENT_TIMEOUT_MS: "0" }), /^Error: Invalid configuration: FLOWTAP_STATEMENT_TIMEOUT_MS: /);
});

test("a statement timeout is a 504 that names neither the statement nor its parameters", async () => {
  const res = await handle(() => Promise.reject(wrapped("57014", "canceling statement due to statement timeout")));
  assert.equal(res.status, 504);
  const { error } = (await res.json()) as { error: string };
  assert.match(error, /statement timeout/);
  assert.doesNotMatch(error, /correlation_id|ord-secret-42|Failed query/);
});

test("other store errors keep the SQLSTATE and drop the statement, in 500s and 503s alike", async () => {
  const cases = [
    ["22P02", 'invalid input syntax for type bigint: "ord-secret-42"', 500],
    ["ECONNREFUSED", "connect ECONNREFUSED 127.0.0.1:5432", 503],
  ] as const;
  for (const [code, text, status] of cases) {
    const res = await handle(() => Promise.reject(wrapped(code, text)));
    assert.equal(res.status, status);
    const { error } = (await res.json()) as { error: string };
    assert.match(error, new RegExp(code));
    assert.doesNotMatch(error, /correlation_id|ord-secret-42|Failed query/, error);
  }
  // Our own errors still say what went wrong.
  assert.equal(publicMessage(new TypeError("x is undefined")), "x is undefined");
});
