// API tokens with PGlite: only one process can open the embedded store, so `npm run user`
// keeps tokens in a file beside the users file, written atomically, while the server holds
// the store open; the server keeps last use in a file of its own.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { brokers, tempDir, waitFor } from "./harness";
import { ORIGIN, bearer, replayBody, req, tokenFrom, userCli } from "./auth-tokens-lib";

let env: Record<string, string>;
let dir: string;
let flows: typeof import("../../app/api/flows/route");
let replays: typeof import("../../app/api/replays/route");

before(async () => {
  dir = tempDir("tokens-file-");
  env = { KAFKA_BROKERS: brokers(), FLOWTAP_DATA_DIR: join(dir, "data"), FLOWTAP_USERS_FILE: join(dir, "users.json"), FLOWTAP_TAP: "off" };
  await userCli(["add", "ann", "--role", "viewer"], { ...env, FLOWTAP_PASSWORD: "ann-password" });
  Object.assign(process.env, env);
  delete process.env.DATABASE_URL;
  flows = await import("../../app/api/flows/route");
  replays = await import("../../app/api/replays/route");
  // The server holds the PGlite store open from here on, as a running one does.
  await (await import("../../server/runtime")).getRuntime().store;
});

after(async () => {
  await (await (await import("../../server/runtime")).getRuntime().store).close();
});

test("`npm run user -- token` works while the server holds PGlite; the token works at once", async () => {
  const token = tokenFrom(await userCli(["token", "cron", "--role", "operator"], env));
  const file = readFileSync(join(dir, "tokens.json"), "utf8");
  assert.ok(!file.includes(token), "the token is stored in the clear");
  assert.equal((await flows.GET(req("/api/flows", bearer(token)))).status, 200);
  assert.equal((await replays.POST(req("/api/replays", { origin: ORIGIN, ...bearer(token) }, replayBody))).status, 404);
  assert.equal((await flows.GET(req("/api/flows", bearer(token.slice(0, -1) + (token.endsWith("A") ? "B" : "A"))))).status, 401);
});

test("last use reaches `tokens` through the server's own file; revoking refuses the token", async () => {
  const token = tokenFrom(await userCli(["token", "probe", "--role", "viewer"], env));
  assert.match((await userCli(["tokens"], env)).split("\n").find((l) => l.startsWith("probe")) ?? "", /never used/);
  for (let i = 0; i < 20; i++) assert.equal((await flows.GET(req("/api/flows", bearer(token)))).status, 200);
  await waitFor("last use written", async () => existsSync(join(dir, "tokens-used.json")), { timeoutMs: 5_000 });
  assert.match((await userCli(["tokens"], env)).split("\n").find((l) => l.startsWith("probe")) ?? "", /last used \d{4}-/);
  assert.equal((await replays.POST(req("/api/replays", { origin: ORIGIN, ...bearer(token) }, replayBody))).status, 403);
  await userCli(["revoke-token", "probe"], env);
  await waitFor("the token refused", async () => (await flows.GET(req("/api/flows", bearer(token)))).status === 401, { timeoutMs: 10_000 });
});
