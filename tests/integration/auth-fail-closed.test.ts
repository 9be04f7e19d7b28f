// Fail closed. The real start (server/boot.ts, as instrumentation runs it) refuses to come up
// without users unless FLOWTAP_AUTH=off, and logs open mode when it is. A users file that
// disappears while the server runs (the last user removed, a restore) closes every read: it
// used to open them all to anyone.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { hashPassword } from "../../server/auth/password";
import { saveUsers } from "../../server/auth/users";
import { brokers, freshDatabase, tempDir, waitFor } from "./harness";

const root = resolve(import.meta.dirname, "..", "..");
let usersFile: string;
let dir2: string;
let flows: typeof import("../../app/api/flows/route");
let health: typeof import("../../app/api/health/route");
let metrics: typeof import("../../app/metrics/route");

const get = (path: string, headers: Record<string, string> = {}) => new Request(`http://127.0.0.1:3000${path}`, { headers: { host: "127.0.0.1:3000", ...headers } });
const basic = `Basic ${Buffer.from("ann:ann-password").toString("base64")}`;

/** Runs boot() in a process of its own, as `next start` would; resolves with its exit and output. */
function bootChild(env: Record<string, string>, stopWhen: (out: string) => boolean) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
    const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "-e", `import(${JSON.stringify(join(root, "server/boot.ts"))}).then((m) => (m.boot ?? m.default.boot)())`], {
      cwd: root,
      env: { PATH: process.env.PATH, NODE_ENV: "test", KAFKA_BROKERS: brokers(), FLOWTAP_TAP: "off", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    const check = () => {
      if (stopWhen(stdout + stderr) && child.exitCode === null) child.kill("SIGKILL");
    };
    child.stdout.on("data", (c: Buffer) => ((stdout += c.toString()), check()));
    child.stderr.on("data", (c: Buffer) => ((stderr += c.toString()), check()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

before(async () => {
  const dir = tempDir("failclosed-");
  dir2 = tempDir("failclosed-boot-");
  usersFile = join(dir, "users.json");
  saveUsers(usersFile, { users: [{ name: "ann", role: "viewer", password: await hashPassword("ann-password") }] });
  Object.assign(process.env, { KAFKA_BROKERS: brokers(), DATABASE_URL: await freshDatabase(), FLOWTAP_DATA_DIR: join(dir, "data"), FLOWTAP_USERS_FILE: usersFile, FLOWTAP_TAP: "off" });
  delete process.env.FLOWTAP_AUTH;
  flows = await import("../../app/api/flows/route");
  health = await import("../../app/api/health/route");
  metrics = await import("../../app/metrics/route");
});

// The health route opened a Kafka admin connection and the store: close them so the file ends.
after(async () => {
  const rt = (await import("../../server/runtime")).getRuntime();
  await rt.kafka.close();
  await (await rt.store).close();
});

test("without users the start stops with one line naming the users file and FLOWTAP_AUTH=off", async () => {
  for (const prepare of [() => {}, () => saveUsers(join(dir2, "users.json"), { users: [] })]) {
    prepare();
    const { code, stderr } = await bootChild({ FLOWTAP_DATA_DIR: dir2 }, () => false);
    assert.equal(code, 1, stderr);
    const lines = stderr.trim().split("\n").filter((l) => l.trim() !== "");
    assert.equal(lines.length, 1, stderr);
    assert.match(lines[0]!, /^Invalid configuration: FLOWTAP_USERS_FILE: .*users\.json.*FLOWTAP_AUTH=off/);
  }
});
test("FLOWTAP_AUTH=off starts without users and logs open mode", async () => {
  const { code, stdout, stderr } = await bootChild({ FLOWTAP_DATA_DIR: tempDir("openmode-boot-"), FLOWTAP_AUTH: "off" }, (out) => /open mode/i.test(out));
  assert.notEqual(code, 1, stderr);
  assert.match(stdout + stderr, /open mode \(FLOWTAP_AUTH=off\)/i);
});

test("with sign-in on, health says auth: on, and anonymous reads are refused", async () => {
  const anon = (await (await health.GET(get("/api/health"))).json()) as { auth?: string; tap: Record<string, unknown> };
  assert.equal(anon.auth, "on");
  assert.equal("errors" in anon.tap, false, "anonymous callers get states only");
  const signedIn = (await (await health.GET(get("/api/health", { authorization: basic }))).json()) as { auth?: string };
  assert.equal(signedIn.auth, "on");
  assert.equal((await flows.GET(get("/api/flows"))).status, 401);
  assert.equal((await flows.GET(get("/api/flows", { authorization: basic }))).status, 200);
});

test("a users file removed while running closes reads instead of opening them", async () => {
  rmSync(usersFile);
  await waitFor("reads refused", async () => (await flows.GET(get("/api/flows"))).status === 401, { timeoutMs: 5_000 });
  assert.equal((await metrics.GET(get("/metrics"))).status, 401);
  const anon = (await (await health.GET(get("/api/health"))).json()) as { tap: Record<string, unknown> };
  assert.equal("errors" in anon.tap, false, "health details stay closed too");
});
