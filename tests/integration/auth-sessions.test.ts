// Sessions against the real route handlers and PostgreSQL: the role comes from the users file
// at each request, sign-out revokes a copied cookie, a refused replay is identified once and
// audited within a per-client limit, and Basic costs about what a cookie costs.
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { hashPassword } from "../../server/auth/password";
import { loadUsers, saveUsers, type UsersFile } from "../../server/auth/users";
import type { Store } from "../../server/db/client";
import { brokers, freshDatabase, tempDir } from "./harness";

const HOST = "127.0.0.1:3000";
const ORIGIN = `http://${HOST}`;
let usersFile: string;
let store: Store;
let session: typeof import("../../app/api/session/route");
let flows: typeof import("../../app/api/flows/route");
let replays: typeof import("../../app/api/replays/route");

const basic = (name: string, pw: string) => `Basic ${Buffer.from(`${name}:${pw}`).toString("base64")}`;
const req = (path: string, init: { method?: string; headers?: Record<string, string>; body?: unknown } = {}) =>
  new Request(`${ORIGIN}${path}`, {
    method: init.method ?? "GET",
    headers: { host: HOST, "content-type": "application/json", ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });

async function signIn(name: string, password: string, address = "10.5.0.1"): Promise<string> {
  const res = await session.POST(req("/api/session", { method: "POST", headers: { origin: ORIGIN, "x-forwarded-for": address }, body: { name, password } }));
  assert.equal(res.status, 200, await res.clone().text());
  const cookie = res.headers.get("set-cookie")!.split(";")[0]!;
  assert.match(cookie, /^flowtap_session=./);
  return cookie;
}
const me = async (cookie: string) => ((await (await session.GET(req("/api/session", { headers: { cookie } }))).json()) as { user: { name: string; role: string } | null }).user;
const flowsStatus = async (headers: Record<string, string>) => (await flows.GET(req("/api/flows", { headers }))).status;
const replay = (headers: Record<string, string>) =>
  replays.POST(req("/api/replays", { method: "POST", headers, body: { records: [{ topic: "no-such-topic", partition: 0, offset: "1" }], dryRun: true } }));
function editUsers(fn: (u: UsersFile["users"]) => UsersFile["users"]): void {
  saveUsers(usersFile, { users: fn(loadUsers(usersFile)!.users) });
}

before(async () => {
  const dir = tempDir("auth-");
  usersFile = join(dir, "users.json");
  const names: Array<[string, "operator" | "viewer"]> = [["op", "operator"], ["demoted", "operator"], ["gone", "operator"], ["pw", "viewer"], ["out", "viewer"], ["ida", "operator"], ["lat", "viewer"]];
  saveUsers(usersFile, { users: await Promise.all(names.map(async ([name, role]) => ({ name, role, password: await hashPassword(`${name}-pass`) }))) });
  Object.assign(process.env, { KAFKA_BROKERS: brokers(), DATABASE_URL: await freshDatabase(), FLOWTAP_DATA_DIR: join(dir, "data"), FLOWTAP_USERS_FILE: usersFile, FLOWTAP_TAP: "off" });
  session = await import("../../app/api/session/route");
  flows = await import("../../app/api/flows/route");
  replays = await import("../../app/api/replays/route");
  store = await (await import("../../server/runtime")).getRuntime().store;
});

test("the role comes from the users file at each request: demoted, removed or re-passworded users lose their rights at once", async () => {
  const demoted = await signIn("demoted", "demoted-pass");
  const gone = await signIn("gone", "gone-pass");
  const pw = await signIn("pw", "pw-pass");
  assert.equal((await me(demoted))?.role, "operator");
  editUsers((us) => us.map((u) => (u.name === "demoted" ? { ...u, role: "viewer" } : u)));
  assert.equal((await me(demoted))?.role, "viewer");
  assert.equal((await replay({ cookie: demoted, origin: ORIGIN })).status, 403);
  assert.equal(await flowsStatus({ cookie: demoted }), 200, "still a viewer");

  editUsers((us) => us.filter((u) => u.name !== "gone"));
  assert.equal(await me(gone), null);
  assert.equal(await flowsStatus({ cookie: gone }), 401);

  const newHash = await hashPassword("pw-new-pass");
  editUsers((us) => us.map((u) => (u.name === "pw" ? { ...u, password: newHash } : u)));
  assert.equal(await flowsStatus({ cookie: pw }), 401, "a password change ends the sessions made with the old one");
  assert.equal(await flowsStatus({ cookie: await signIn("pw", "pw-new-pass") }), 200);
});

test("sign-out revokes the session: a copied cookie stops working", async () => {
  const cookie = await signIn("out", "out-pass");
  const copy = cookie;
  assert.equal(await flowsStatus({ cookie: copy }), 200);
  const res = await session.DELETE(req("/api/session", { method: "DELETE", headers: { cookie, origin: ORIGIN } }));
  assert.equal(res.status, 200);
  assert.equal(await flowsStatus({ cookie: copy }), 401);
  assert.equal(await me(copy), null);
  // Signing in again gives a working session.
  assert.equal(await flowsStatus({ cookie: await signIn("out", "out-pass") }), 200);
});

test("a refused replay is identified once: its wrong password counts one failure, not two", async () => {
  for (let i = 0; i < 5; i++) assert.equal((await replay({ authorization: basic("ida", `wrong-${i}`), origin: ORIGIN, "x-forwarded-for": "10.6.0.1" })).status, 401);
  // Five failures, not ten: the name is not shut out.
  await signIn("ida", "ida-pass", "10.6.0.2");
});

test("refused attempts are audited within a per-client limit", async () => {
  const count = async () => (await store.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log WHERE outcome = 'refused'`))[0]!.n;
  const start = await count();
  for (let i = 0; i < 40; i++) assert.equal((await replay({ origin: ORIGIN, "x-forwarded-for": "10.7.0.1" })).status, 401);
  const flood = (await count()) - start;
  assert.ok(flood >= 1 && flood <= 10, `${flood} audit rows for one client's 40 refused attempts`);
  // Another client's refusal is still written.
  assert.equal((await replay({ origin: ORIGIN, "x-forwarded-for": "10.7.0.2" })).status, 401);
  assert.equal((await count()) - start, flood + 1);
});

test("latency: HTTP Basic costs about what a session cookie costs (verified credentials are cached)", async () => {
  const cookie = await signIn("lat", "lat-pass");
  const auth = basic("lat", "lat-pass");
  const p50 = async (headers: Record<string, string>) => {
    const times: number[] = [];
    for (let i = 0; i < 60; i++) {
      const t = performance.now();
      assert.equal(await flowsStatus(headers), 200);
      times.push(performance.now() - t);
    }
    return times.sort((a, b) => a - b)[30]!;
  };
  await p50({ cookie }); // warm both paths
  const [c, b] = [await p50({ cookie }), await p50({ authorization: auth })];
  console.log(`GET /api/flows p50: cookie ${c.toFixed(2)} ms, Basic ${b.toFixed(2)} ms`);
  assert.ok(b <= c * 3 + 5, `Basic p50 ${b.toFixed(1)} ms against cookie ${c.toFixed(1)} ms`);
});
