// API latency by way of sign-in, against `next start`: the same GET /api/flows sent with a
// session cookie and with an API token (Bearer), interleaved in one run so that the machine's
// noise falls on both alike. A cookie costs an HMAC and an epoch lookup in the store; a token
// costs a SHA-256 and a lookup cached for 5 s. The target: Bearer p50 within 1.2× the cookie's.
import { spawn } from "node:child_process";
import { join, resolve } from "node:path";
import { hashPassword } from "../../server/auth/password";
import { saveUsers } from "../../server/auth/users";
import { percentile } from "./bench-measure";
import { buildIsStale, runBuild, startWebServer } from "./demo-processes";
import { freePort } from "./kafka-broker";

const root = resolve(import.meta.dirname, "..", "..");

export interface AuthLatency {
  calls: number;
  cookie: { p50: number; p99: number };
  bearer: { p50: number; p99: number };
}

/** `npm run user -- token …` as a script would run it; returns the printed token. */
function makeToken(env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/user.ts", "token", "bench", "--role", "viewer"], { cwd: root, env, stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.on("exit", (code) => {
      const token = /\bft_[A-Za-z0-9_-]{43}\b/.exec(out)?.[0];
      if (code === 0 && token) done(token);
      else fail(new Error(`npm run user -- token: exit ${code}: ${out}`));
    });
  });
}

/**
 * `env` chooses the store (DATABASE_URL, or FLOWTAP_DATA_DIR for PGlite); `calls` requests
 * each way. The server runs without the tap: only the request path is measured.
 */
export async function benchAuthLatency(env: Record<string, string>, workDir: string, calls: number, log: (s: string) => void): Promise<AuthLatency> {
  if (buildIsStale(root)) {
    log("building the app for the sign-in benchmark");
    await runBuild(root, () => {});
  }
  const usersFile = join(workDir, "bench-users.json");
  const password = "bench-password";
  saveUsers(usersFile, { users: [{ name: "bench", role: "viewer", password: await hashPassword(password) }] });
  const serverEnv = { ...process.env, FLOWTAP_DATA_DIR: join(workDir, "auth-web"), ...env, FLOWTAP_USERS_FILE: usersFile, FLOWTAP_TAP: "off", FLOWTAP_AUTH: "on" };
  const token = await makeToken(serverEnv);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = startWebServer({ root, port, env: serverEnv, logFile: join(workDir, "auth-web.log") });
  try {
    for (let i = 0; ; i++) {
      if (await fetch(`${base}/api/health`).then((r) => r.ok, () => false)) break;
      if (i > 120) throw new Error(`next start did not answer:\n${server.tail()}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    const signIn = await fetch(`${base}/api/session`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: base },
      body: JSON.stringify({ name: "bench", password }),
    });
    const cookie = signIn.headers.get("set-cookie")?.split(";")[0];
    if (signIn.status !== 200 || !cookie) throw new Error(`sign-in failed: ${signIn.status} ${await signIn.text()}`);
    const ways = { cookie: { cookie }, bearer: { authorization: `Bearer ${token}` } };
    const time = async (headers: Record<string, string>) => {
      const t = performance.now();
      const res = await fetch(`${base}/api/flows?limit=20`, { headers });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`GET /api/flows: ${res.status}`);
      return performance.now() - t;
    };
    // Warm-up: compiled routes, connections, the token cache.
    for (let i = 0; i < 30; i++) {
      await time(ways.cookie);
      await time(ways.bearer);
    }
    const samples = { cookie: [] as number[], bearer: [] as number[] };
    for (let i = 0; i < calls; i++) {
      // Alternate which goes first, so neither always follows the other.
      const order = i % 2 ? (["cookie", "bearer"] as const) : (["bearer", "cookie"] as const);
      for (const way of order) samples[way].push(await time(ways[way]));
    }
    const stats = (xs: number[]) => {
      const s = [...xs].sort((a, b) => a - b);
      return { p50: percentile(s, 50), p99: percentile(s, 99) };
    };
    return { calls, cookie: stats(samples.cookie), bearer: stats(samples.bearer) };
  } finally {
    await server.stop();
  }
}
