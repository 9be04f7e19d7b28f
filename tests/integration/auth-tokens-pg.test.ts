// API tokens with PostgreSQL (DATABASE_URL set): `npm run user` writes table api_tokens beside
// a running server; the server finds a token by its SHA-256, takes its role, refuses a revoked
// one within seconds, and writes last use at most once a minute, not once a request.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { tokenDigest } from "../../server/auth/tokens";
import type { Store } from "../../server/db/client";
import { brokers, freshDatabase, tempDir, waitFor } from "./harness";
import { ORIGIN, bearer, replayBody, req, tokenFrom, userCli } from "./auth-tokens-lib";

let env: Record<string, string>;
let store: Store;
let flows: typeof import("../../app/api/flows/route");
let replays: typeof import("../../app/api/replays/route");

before(async () => {
  const dir = tempDir("tokens-pg-");
  env = { KAFKA_BROKERS: brokers(), DATABASE_URL: await freshDatabase(), FLOWTAP_DATA_DIR: join(dir, "data"), FLOWTAP_USERS_FILE: join(dir, "users.json"), FLOWTAP_TAP: "off" };
  await userCli(["add", "ann", "--role", "viewer"], { ...env, FLOWTAP_PASSWORD: "ann-password" });
  Object.assign(process.env, env);
  flows = await import("../../app/api/flows/route");
  replays = await import("../../app/api/replays/route");
  store = await (await import("../../server/runtime")).getRuntime().store;
});

const lastUsed = async (name: string) =>
  (await store.rows<{ at: string | null }>(sql`SELECT last_used_at::text AS at FROM api_tokens WHERE name = ${name} AND revoked_at IS NULL`))[0]?.at ?? null;

after(async () => {
  await (await (await import("../../server/runtime")).getRuntime().store).close();
});

test("a token is printed once, stored as its SHA-256 only, and works as a Bearer with its role", async () => {
  const op = tokenFrom(await userCli(["token", "deploy-bot", "--role", "operator"], env));
  const viewer = tokenFrom(await userCli(["token", "grafana", "--role", "viewer"], env));
  const rows = await store.rows<Record<string, unknown>>(sql`SELECT * FROM api_tokens ORDER BY name`);
  assert.deepEqual(rows.map((r) => [r.name, r.role, r.sha256]), [["deploy-bot", "operator", tokenDigest(op)], ["grafana", "viewer", tokenDigest(viewer)]]);
  assert.ok(!JSON.stringify(rows).includes(op) && !JSON.stringify(rows).includes(viewer), "a token is stored in the clear");

  assert.equal((await flows.GET(req("/api/flows", bearer(op)))).status, 200);
  assert.equal((await flows.GET(req("/api/flows", bearer(viewer)))).status, 200);
  assert.equal((await flows.GET(req("/api/flows", bearer(`ft_${"A".repeat(43)}`)))).status, 401);
  assert.equal((await flows.GET(req("/api/flows"))).status, 401);
  // Replay: the operator token gets past sign-in (the record is unknown), the viewer's does not.
  assert.equal((await replays.POST(req("/api/replays", { origin: ORIGIN, ...bearer(op) }, replayBody))).status, 404);
  assert.equal((await replays.POST(req("/api/replays", bearer(op), replayBody))).status, 404, "a script sends no Origin and no cookie");
  assert.equal((await replays.POST(req("/api/replays", bearer(viewer), replayBody))).status, 403);
  await assert.rejects(userCli(["token", "grafana", "--role", "viewer"], env), /grafana.*exists/);
});

test("last use is written once, not per request, and `tokens` lists it", async () => {
  const token = tokenFrom(await userCli(["token", "busy", "--role", "viewer"], env));
  assert.equal(await lastUsed("busy"), null);
  assert.equal((await flows.GET(req("/api/flows", bearer(token)))).status, 200);
  const first = await waitFor("last use written", () => lastUsed("busy"), { timeoutMs: 5_000 });
  for (let i = 0; i < 30; i++) assert.equal((await flows.GET(req("/api/flows", bearer(token)))).status, 200);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(await lastUsed("busy"), first, "last_used_at rewritten within the minute");
  const listed = (await userCli(["tokens"], env)).split("\n").find((l) => l.startsWith("busy"));
  assert.match(listed ?? "", /^busy\s+viewer\s+created \S+\s+last used \d{4}-\d\d-\d\dT/);
});

test("a revoked token stops working within seconds", async () => {
  const token = tokenFrom(await userCli(["token", "leaked", "--role", "operator"], env));
  assert.equal((await flows.GET(req("/api/flows", bearer(token)))).status, 200);
  assert.match(await userCli(["revoke-token", "leaked"], env), /revoked/);
  await waitFor("the token refused", async () => (await flows.GET(req("/api/flows", bearer(token)))).status === 401, { timeoutMs: 10_000 });
  assert.match((await userCli(["tokens"], env)).split("\n").find((l) => l.startsWith("leaked")) ?? "", /revoked \d{4}-/);
});
