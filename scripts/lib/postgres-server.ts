// A throwaway PostgreSQL server for tests and benchmarks, from the machine's PostgreSQL
// binaries (Debian: /usr/lib/postgresql/<version>/bin). PostgreSQL refuses to run as root,
// so as root it runs as the `postgres` user. Trust auth on 127.0.0.1 only.
import { execFileSync, spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { freePort } from "./kafka-broker";

export function findPgBin(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const base = "/usr/lib/postgresql";
  if (existsSync(base)) {
    const versions = readdirSync(base)
      .filter((v) => existsSync(join(base, v, "bin", "initdb")))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return join(base, versions[0], "bin");
  }
  const which = spawnSync("sh", ["-c", "command -v initdb"], { encoding: "utf8" });
  if (which.status === 0) return which.stdout.trim().replace(/\/initdb$/, "");
  throw new Error("PostgreSQL server binaries not found (install Debian's `postgresql` package, or set PG_BIN)");
}

export interface PostgresServer {
  url: string;
  port: number;
  dataDir: string;
  /** Stops the server (fast shutdown); start() brings the same cluster back on the same port. */
  stop(): void;
  start(): void;
  destroy(): void;
}

export async function startPostgres(opts: { dir: string; port?: number }): Promise<PostgresServer> {
  const bin = findPgBin();
  const asRoot = process.getuid?.() === 0;
  const port = opts.port ?? (await freePort());
  const dataDir = join(opts.dir, "data");
  rmSync(opts.dir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (asRoot) {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    chownSync(opts.dir, uid, gid);
    chownSync(dataDir, uid, gid);
    // The postgres user must be able to reach the folder.
    for (let p = join(opts.dir, ".."); p !== "/" && p !== "."; p = join(p, "..")) {
      if ((statSync(p).mode & 0o001) === 0) throw new Error(`${p} is not reachable by the postgres user`);
    }
  }
  const run = (cmd: string, args: string[]) => {
    const full = asRoot ? ["runuser", ["-u", "postgres", "--", join(bin, cmd), ...args]] as const : [join(bin, cmd), args] as const;
    const r = spawnSync(full[0], [...full[1]], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr || r.stdout || r.error?.message}`);
  };
  run("initdb", ["-D", dataDir, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]);
  const logFile = join(opts.dir, "postgres.log");
  const serverOpts = `-p ${port} -k ${opts.dir} -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=256MB`;
  const start = () => run("pg_ctl", ["-D", dataDir, "-l", logFile, "-o", serverOpts, "-w", "-t", "60", "start"]);
  const stop = () => run("pg_ctl", ["-D", dataDir, "-m", "fast", "-w", "-t", "60", "stop"]);
  start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    dataDir,
    start,
    stop,
    destroy: () => {
      try {
        stop();
      } catch {
        // already stopped
      }
      rmSync(opts.dir, { recursive: true, force: true });
    },
  };
}
