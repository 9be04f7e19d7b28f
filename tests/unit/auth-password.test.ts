// Password checks (form and HTTP Basic): what a success forgives, one identification per
// request, the cache of verified credentials, and the global limit on scrypt work.
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

type Auth = typeof import("../../server/auth/authenticate");
type Users = typeof import("../../server/auth/users");
type Gate = { hashingStats?: () => { started: number; peak: number; refused: number } };
let auth: Auth;
let users: Users;
let gate: Gate;
let usersFile: string;
let hash: (pw: string) => Promise<string>;

const basic = (name: string, pw: string, address = "10.0.0.1") =>
  new Request("http://127.0.0.1:3000/api/flows", {
    headers: { authorization: `Basic ${Buffer.from(`${name}:${pw}`).toString("base64")}`, "x-forwarded-for": address },
  });
const status = (p: Promise<unknown>) => p.then(() => 200, (err: { status?: number }) => err.status ?? 500);

before(async () => {
  const dir = mkdtempSync(join(tmpdir(), "ft-auth-"));
  usersFile = join(dir, "users.json");
  Object.assign(process.env, { FLOWTAP_DATA_DIR: dir, FLOWTAP_USERS_FILE: usersFile });
  ({ hashPassword: hash } = await import("../../server/auth/password"));
  users = await import("../../server/auth/users");
  auth = await import("../../server/auth/authenticate");
  gate = (await import("../../server/auth/password-gate").catch(() => ({}))) as Gate;
  users.saveUsers(usersFile, {
    users: await Promise.all(["vic", "ida", "bea", "cas"].map(async (name) => ({ name, role: "operator" as const, password: await hash(`${name}-pass`) }))),
  });
});

test("a success forgives only its own count, not the failures before it", async () => {
  for (let i = 0; i < 9; i++) assert.equal(await auth.checkPassword("vic", `guess-${i}`, "10.1.0.1"), null);
  // The owner's script signs in between the guesses...
  assert.equal((await auth.checkPassword("vic", "vic-pass", "10.1.0.2"))?.name, "vic");
  // ...and the guesser has one guess left, not ten more.
  assert.equal(await auth.checkPassword("vic", "guess-9", "10.1.0.1"), null);
  assert.equal(await status(auth.checkPassword("vic", "guess-10", "10.1.0.1")), 429);
});

test("a request is identified once, however often its handler asks", async () => {
  for (let i = 0; i < 5; i++) {
    const req = basic("ida", `wrong-${i}`, "10.2.0.1");
    assert.equal(await status(auth.identify(req)), 401);
    assert.equal(await status(auth.identify(req)), 401);
  }
  // Five failures, not ten: the right password still gets in.
  assert.equal((await auth.checkPassword("ida", "ida-pass", "10.2.0.2"))?.name, "ida");
});

test("verified Basic credentials are cached: one scrypt for many requests, never past a change of the file", async () => {
  assert.ok(gate.hashingStats, "server/auth/password-gate exports hashingStats");
  const started = gate.hashingStats().started;
  for (let i = 0; i < 20; i++) assert.equal((await auth.identify(basic("bea", "bea-pass"))).user?.name, "bea");
  assert.equal(gate.hashingStats().started - started, 1);
  // The role is the file's, at once.
  const file = users.loadUsers(usersFile)!;
  users.saveUsers(usersFile, { users: file.users.map((u) => (u.name === "bea" ? { ...u, role: "viewer" as const } : u)) });
  assert.equal((await auth.identify(basic("bea", "bea-pass"))).user?.role, "viewer");
  // A new password: the cached old one no longer works.
  const newHash = await hash("bea-new-pass");
  users.saveUsers(usersFile, { users: users.loadUsers(usersFile)!.users.map((u) => (u.name === "bea" ? { ...u, password: newHash } : u)) });
  assert.equal(await status(auth.identify(basic("bea", "bea-pass"))), 401);
  assert.equal((await auth.identify(basic("bea", "bea-new-pass"))).user?.name, "bea");
  // Removed: refused, cached or not.
  users.saveUsers(usersFile, { users: users.loadUsers(usersFile)!.users.filter((u) => u.name !== "bea") });
  assert.equal(await status(auth.identify(basic("bea", "bea-new-pass"))), 401);
});

test("a flood of wrong passwords runs at most 2 scrypts at once; the excess is refused quickly", async () => {
  assert.ok(gate.hashingStats, "server/auth/password-gate exports hashingStats");
  assert.equal((await auth.identify(basic("cas", "cas-pass"))).user?.name, "cas"); // verified once, now cached
  const t0 = Date.now();
  const flood = Array.from({ length: 60 }, (_, i) => status(auth.identify(basic(`junk-${i}`, "x", `10.9.${i}.1`))));
  // The owner of a cached credential is not kept waiting by the flood.
  const during = Date.now();
  assert.equal((await auth.identify(basic("cas", "cas-pass"))).user?.name, "cas");
  const cachedMs = Date.now() - during;
  const statuses = await Promise.all(flood);
  const t1 = Date.now();
  assert.ok(gate.hashingStats().peak <= 2, `peak ${gate.hashingStats().peak} scrypts at once`);
  assert.ok(statuses.includes(503), `statuses: ${statuses.join(",")}`);
  assert.ok(statuses.every((s) => s === 401 || s === 503), `statuses: ${statuses.join(",")}`);
  assert.ok(t1 - t0 < 10_000, `the flood took ${t1 - t0} ms`);
  assert.ok(cachedMs < 50, `a cached credential took ${cachedMs} ms during the flood`);
});
