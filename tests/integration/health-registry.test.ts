// /api/health and the Schema Registry, through the route handler over the process runtime (tap
// in-process, real broker, real PostgreSQL) and a real registry of the test's own (Apicurio) that
// it stops and starts again on the same port: ok:false with the reason while it is down, ok:true
// after; signed-in callers see each URL without its credentials, anonymous ones only states.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { hashPassword } from "../../server/auth/password";
import { saveUsers } from "../../server/auth/users";
import { brokers, createTopics, freshDatabase, tempDir, uniqueName, waitFor } from "./harness";
import { startTestRegistry, type SchemaRegistry } from "./registry-lib";

const run = uniqueName("");
const PASSWORD = `reg-pw-${run}`;
type Health = {
  ok: boolean;
  registry?: { ok: boolean; error?: string; urls?: Array<{ url: string; ok: boolean; error?: string }> };
  tap: { running: boolean };
};
type Mods = { health: typeof import("../../app/api/health/route"); runtime: typeof import("../../server/runtime") };
let m: Mods;
let registry: SchemaRegistry;

const VIEWER = `Basic ${Buffer.from("viewer:viewer-pass").toString("base64")}`;
async function health(signedIn: boolean): Promise<{ body: Health; text: string }> {
  const res = await m.health.GET(new Request("http://127.0.0.1/api/health", { headers: signedIn ? { authorization: VIEWER } : {} }));
  const text = await res.text();
  return { body: JSON.parse(text) as Health, text };
}

before(async () => {
  registry = await startTestRegistry();
  const dir = tempDir("health-registry-");
  const usersFile = join(dir, "users.json");
  saveUsers(usersFile, { users: [{ name: "viewer", role: "viewer", password: await hashPassword("viewer-pass") }] });
  const topic = `hr-${run}`;
  await createTopics([{ topic }]);
  const withCredentials = registry.url.replace("http://", `http://flowtap:${PASSWORD}@`);
  Object.assign(process.env, {
    KAFKA_BROKERS: brokers(),
    DATABASE_URL: await freshDatabase(),
    FLOWTAP_DATA_DIR: join(dir, "data"),
    FLOWTAP_USERS_FILE: usersFile,
    FLOWTAP_TOPICS_INCLUDE: `^${topic}$`,
    FLOWTAP_TAP_GROUP: uniqueName("ft-hr-"),
    FLOWTAP_TAP: "on",
    SCHEMA_REGISTRY_URL: withCredentials,
  });
  delete process.env.FLOWTAP_AUTH;
  m = { health: await import("../../app/api/health/route"), runtime: await import("../../server/runtime") };
  await m.runtime.startBackgroundWork();
});

after(async () => {
  const rt = m?.runtime.getRuntime();
  await rt?.workers?.stop();
  // The health probe's admin client keeps its connection to the run's broker (which stays up) open.
  await rt?.kafka.close();
  await (await rt?.store)?.close();
  await registry?.stop();
});

test("registry up: ok, and signed-in callers see its URL without credentials", async () => {
  const { body, text } = await waitFor("the tap running and health ok", async () => {
    const h = await health(true);
    return h.body.ok ? h : null;
  });
  assert.deepEqual(body.registry?.urls?.map((u) => [u.url, u.ok]), [[registry.url, true]]);
  assert.ok(!text.includes(PASSWORD));
});

test("registry stopped: ok false with the reason; anonymous callers see states only; ok again once it is back", async () => {
  await registry.stop();
  const down = await waitFor("health to see the registry down", async () => {
    const h = await health(true);
    return h.body.registry?.ok === false ? h : null;
  }, { timeoutMs: 30_000 });
  assert.equal(down.body.ok, false);
  assert.equal(down.body.tap.running, true, "only the registry is down");
  assert.match(down.body.registry?.error ?? "", new RegExp(`^schema registry ${registry.url.replace(/[.]/g, "\\.")} does not answer: (ECONNREFUSED|no answer)`));
  assert.ok(!down.text.includes(PASSWORD));

  const anon = await health(false);
  assert.equal(anon.body.ok, false);
  assert.deepEqual(anon.body.registry, { ok: false });
  assert.ok(!anon.text.includes("127.0.0.1"), "no URL for anonymous callers");
  assert.ok(!anon.text.includes("ECONNREFUSED"), "no error texts for anonymous callers");

  registry = await startTestRegistry({ port: registry.port });
  const back = await waitFor("health ok again", async () => {
    const h = await health(true);
    return h.body.ok ? h : null;
  }, { timeoutMs: 60_000 });
  assert.equal(back.body.registry?.ok, true);
});
