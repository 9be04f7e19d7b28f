// Shared by the API-token tests: `npm run user` as a child process (it must work beside a
// running server), and requests through the real route handlers.
import { spawn } from "node:child_process";
import { resolve } from "node:path";

const root = resolve(import.meta.dirname, "..", "..");
export const HOST = "127.0.0.1:3000";
export const ORIGIN = `http://${HOST}`;

/** `npm run user -- …args` with `env`; rejects on a non-zero exit with its stderr. */
export function userCli(args: string[], env: Record<string, string | undefined>): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/user.ts", ...args], {
      cwd: root,
      env: { PATH: process.env.PATH, NODE_ENV: "test", ...env } as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr.on("data", (c: Buffer) => (err += c.toString()));
    child.on("exit", (code) => (code === 0 ? done(out) : fail(new Error(`user ${args.join(" ")}: exit ${code}: ${err}`))));
  });
}

export function tokenFrom(output: string): string {
  const m = /\bft_[A-Za-z0-9_-]{43}\b/.exec(output);
  if (!m) throw new Error(`no token in: ${output}`);
  return m[0];
}

export const req = (path: string, headers: Record<string, string> = {}, body?: unknown) =>
  new Request(`${ORIGIN}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { host: HOST, "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
export const replayBody = { records: [{ topic: "no-such-topic", partition: 0, offset: "1" }], dryRun: true };
