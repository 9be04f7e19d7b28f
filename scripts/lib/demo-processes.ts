// The demo's child processes: `next build` when the build is stale, and `next start`.
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

/** Sources whose change makes the production build stale. */
const BUILD_INPUTS = ["app", "components", "server", "next.config.ts", "instrumentation.ts"];

function newestMtimeMs(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return readdirSync(path).reduce((max, name) => Math.max(max, newestMtimeMs(join(path, name))), st.mtimeMs);
}

/** True when .next/BUILD_ID is missing or older than any source the build reads. */
export function buildIsStale(root: string): boolean {
  const id = join(root, ".next", "BUILD_ID");
  if (!existsSync(id)) return true;
  const built = statSync(id).mtimeMs;
  return BUILD_INPUTS.some((p) => newestMtimeMs(join(root, p)) > built);
}

export { portOpen } from "./kafka-broker";

/**
 * Runs `npx next build` with the terminal's stdio (its own output is the progress).
 * `onSpawn` hands out the child so a shutdown can end it.
 */
export function runBuild(root: string, onSpawn: (child: ChildProcess) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn("npx", ["next", "build"], { cwd: root, stdio: "inherit" });
    onSpawn(child);
    child.once("error", reject);
    child.once("exit", (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`next build failed (${signal ?? `exit ${code}`})`)),
    );
  });
}

export interface WebServer {
  process: ChildProcess;
  /** Its last output lines (npm's own warnings left out), for a message when it dies. */
  tail(): string;
  stop(): Promise<void>;
}

const KILL_AFTER_MS = 10_000;

/** True while any process of the group led by `pid` lives. */
function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is gone already
  }
}

/**
 * Starts `npx next start` in its own process group, output appended to `logFile`. The group
 * keeps npx, its shell and the server together for stop(), and keeps a terminal's Ctrl-C
 * away from the server so the demo stops it in order.
 */
export function startWebServer(opts: { root: string; port: number; env: NodeJS.ProcessEnv; logFile: string }): WebServer {
  const child = spawn("npx", ["next", "start", "-H", "127.0.0.1", "-p", String(opts.port)], {
    cwd: opts.root,
    env: opts.env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error("could not start `npx next start`");
  // Last resort when the demo itself dies without a stop: leave no server behind.
  const orphanGuard = () => signalGroup(pid, "SIGKILL");
  process.once("exit", orphanGuard);
  const out = createWriteStream(opts.logFile, { flags: "a" });
  out.write(`\n--- next start, ${new Date().toISOString()} ---\n`);
  let tail = "";
  const keep = (chunk: Buffer) => {
    out.write(chunk);
    tail = (tail + chunk.toString("utf8")).slice(-3000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);

  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      signalGroup(pid, "SIGTERM");
      const deadline = Date.now() + KILL_AFTER_MS;
      // npx may exit before the server does: wait for the whole group, not the child.
      while (groupAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      if (groupAlive(pid)) signalGroup(pid, "SIGKILL");
      process.removeListener("exit", orphanGuard);
      out.end();
    })();
    return stopping;
  };
  const lastLines = () =>
    tail.split("\n").filter((line) => line.trim() !== "" && !line.startsWith("npm warn")).slice(-15).join("\n");
  return { process: child, tail: lastLines, stop };
}
