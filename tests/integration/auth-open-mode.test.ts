// Open mode on purpose (FLOWTAP_AUTH=off): reads need no sign-in and health says `auth: "off"`
// to everyone, but replay still needs a signed-in operator from the users file (the demo's).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { hashPassword } from "../../server/auth/password";
import { saveUsers } from "../../server/auth/users";
import { brokers, freshDatabase, tempDir } from "./harness";

const HOST = "127.0.0.1:3000";
const ORIGIN = `http://${HOST}`;
let flows: typeof import("../../app/api/flows/route");
let health: typeof import("../../app/api/health/route");
let replays: typeof import("../../app/api/replays/route");

const req = (path: string, headers: Record<string, string> = {}, body?: unknown) =>
  new Request(`${ORIGIN}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { host: HOST, "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const basic = (n: string) => `Basic ${Buffer.from(`${n}:${n}-password`).toString("base64")}`;
const replay = (headers: Record<string, string>) =>
  replays.POST(req("/api/replays", { origin: ORIGIN, ...headers }, { records: [{ topic: "no-such-topic", partition: 0, offset: "1" }], dryRun: true }));

before(async () => {
  const dir = tempDir("openmode-");
  const usersFile = join(dir, "users.json");
  saveUsers(usersFile, { users: [
    { name: "demo", role: "operator", password: await hashPassword("demo-password") },
    { name: "vic", role: "viewer", password: await hashPassword("vic-password") },
  ] });
  Object.assign(process.env, {
    KAFKA_BROKERS: brokers(), DATABASE_URL: await freshDatabase(), FLOWTAP_DATA_DIR: join(dir, "data"),
    FLOWTAP_USERS_FILE: usersFile, FLOWTAP_TAP: "off", FLOWTAP_AUTH: "off",
  });
  flows = await import("../../app/api/flows/route");
  health = await import("../../app/api/health/route");
  replays = await import("../../app/api/replays/route");
});

// The health route opened a Kafka admin connection and the store: close them so the file ends.
after(async () => {
  const rt = (await import("../../server/runtime")).getRuntime();
  await rt.kafka.close();
  await (await rt.store).close();
});

test("health says auth: off, anonymous and signed in", async () => {
  for (const headers of [{}, { authorization: basic("demo") }] as Array<Record<string, string>>) {
    const body = (await (await health.GET(req("/api/health", headers))).json()) as { auth?: string };
    assert.equal(body.auth, "off", JSON.stringify(headers));
  }
});

test("reads are open; replay still needs a signed-in operator", async () => {
  assert.equal((await flows.GET(req("/api/flows"))).status, 200);
  assert.equal((await replay({})).status, 401);
  assert.equal((await replay({ authorization: basic("vic") })).status, 403);
  // Past the sign-in: the record is simply unknown.
  assert.equal((await replay({ authorization: basic("demo") })).status, 404);
});
