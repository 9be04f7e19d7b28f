// Every store connection carries statement_timeout (FLOWTAP_STATEMENT_TIMEOUT_MS): a statement
// past it fails with SQLSTATE 57014, and the API answers 504 without the statement or its values.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { sql } from "drizzle-orm";
import { DEFAULT_STATEMENT_TIMEOUT_MS, openStore, type Store } from "../../server/db/client";
import { handle } from "../../server/http/respond";
import { freshDatabase, tempDir } from "./harness";

const stores: Store[] = [];
after(async () => {
  for (const s of stores) await s.close();
});

async function open(kind: "postgres" | "pglite", statementTimeoutMs?: number): Promise<Store> {
  const store = await openStore({ databaseUrl: kind === "postgres" ? await freshDatabase() : null, dataDir: tempDir(), statementTimeoutMs });
  stores.push(store);
  return store;
}

const SECRET = "secret-param-8d1f";
const sleepPast = (store: Store) => store.rows(sql`SELECT pg_sleep(3), ${SECRET}::text AS payload`);

function codeOf(err: unknown): string | undefined {
  for (let e = err as { code?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) if (e.code) return e.code;
  return undefined;
}

for (const kind of ["postgres", "pglite"] as const) {
  test(`every connection carries the statement timeout, 30 s unless configured (${kind})`, async () => {
    const dflt = await open(kind);
    assert.equal(DEFAULT_STATEMENT_TIMEOUT_MS, 30_000);
    assert.deepEqual(await dflt.rows(sql`SHOW statement_timeout`), [{ statement_timeout: "30s" }]);
    const short = await open(kind, 500);
    // Several at once: on PostgreSQL they run on different pooled connections, each must have it.
    const shown = await Promise.all(Array.from({ length: 4 }, () => short.rows<{ statement_timeout: string }>(sql`SHOW statement_timeout`)));
    assert.deepEqual(shown.map((r) => r[0]!.statement_timeout), ["500ms", "500ms", "500ms", "500ms"]);
  });
}

test("a statement past the timeout fails with the timeout error, and the API says 504 without SQL or values (postgres)", async () => {
  const store = await open("postgres", 500);
  const started = Date.now();
  const err = await sleepPast(store).then(() => null, (e: unknown) => e);
  const took = Date.now() - started;
  assert.ok(err, "pg_sleep(3) under a 500 ms timeout must fail");
  assert.equal(codeOf(err), "57014");
  assert.ok(took < 2_500, `cancelled near 500 ms, not after the sleep: ${took} ms`);
  // The store is fine afterwards: the connection was not lost.
  assert.deepEqual(await store.rows(sql`SELECT 1 AS one`), [{ one: 1 }]);

  const res = await handle(async () => Response.json(await sleepPast(store)));
  assert.equal(res.status, 504);
  const body = (await res.json()) as { error: string };
  assert.match(body.error, /statement timeout/);
  for (const leak of [SECRET, "pg_sleep", "Failed query", "params"]) assert.ok(!body.error.includes(leak), `the error body must not carry ${leak}: ${body.error}`);
});

test("a failing statement's 500 names no SQL or parameter either (pglite)", async () => {
  const store = await open("pglite");
  const res = await handle(async () => Response.json(await store.rows(sql`SELECT * FROM no_such_table WHERE x = ${SECRET}`)));
  assert.equal(res.status, 500);
  const body = (await res.json()) as { error: string };
  assert.match(body.error, /42P01/);
  for (const leak of [SECRET, "no_such_table", "Failed query", "params"]) assert.ok(!body.error.includes(leak), `the error body must not carry ${leak}: ${body.error}`);
});

// PGlite accepts the setting but its WASM build never fires it (no timer signals): measured,
// pg_sleep(3) under 500 ms runs the full 3 s and blocks Node's event loop meanwhile. This pins
// that documented limit (docs/architecture.md, Store): the day PGlite enforces the timeout it
// fails, and the docs and the PGlite-only query bounds can be revisited.
test("PGlite reports the timeout but does not enforce it (a documented limit)", async () => {
  const store = await open("pglite", 200);
  const started = Date.now();
  await store.rows(sql`SELECT pg_sleep(0.6)`);
  assert.ok(Date.now() - started >= 550, "the statement ran to its end");
});
