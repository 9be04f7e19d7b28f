import "server-only";
// The one place that builds a database driver: postgres.js when DATABASE_URL is set,
// embedded PGlite (persisted under FLOWTAP_DATA_DIR) otherwise. Everything else gets
// a Store and runs the same SQL on either.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { SQL } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import * as schema from "./schema";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Store {
  kind: "postgres" | "pglite";
  db: Db;
  /** Runs raw SQL and returns its rows, whatever the driver. */
  rows<T = Record<string, unknown>>(query: SQL): Promise<T[]>;
  /** A cheap round trip, for health checks. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface StoreOptions {
  databaseUrl: string | null;
  dataDir: string;
  /** postgres.js pool size. */
  maxConnections?: number;
  /** statement_timeout of every connection that serves the app (not the migration's). */
  statementTimeoutMs?: number;
  migrationsFolder?: string;
}

const MIGRATION_LOCK = 7_214_420_001;
/** FLOWTAP_STATEMENT_TIMEOUT_MS's default: a viewer's query, a retention batch or a tap chunk takes well under 1 s. */
export const DEFAULT_STATEMENT_TIMEOUT_MS = 30_000;
/** The embedded store shares the web server's memory: keep its caches small (the OS caches the files). */
const PGLITE_CONF = ["shared_buffers=32MB", "wal_buffers=1MB", "work_mem=4MB", "maintenance_work_mem=32MB"];

function migrationsPath(opts: StoreOptions): string {
  return opts.migrationsFolder ?? resolve(process.cwd(), "drizzle");
}

async function openPostgres(url: string, opts: StoreOptions): Promise<Store> {
  // Several processes (web servers, taps) may start at once: one migrates, the others wait.
  const lockClient = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await lockClient`select pg_advisory_lock(${MIGRATION_LOCK})`;
    await migratePostgres(drizzlePostgres(lockClient), { migrationsFolder: migrationsPath(opts) });
    await lockClient`select pg_advisory_unlock(${MIGRATION_LOCK})`;
  } finally {
    await lockClient.end({ timeout: 5 });
  }
  // The migration connection above has no statement_timeout: it waits for the advisory lock while
  // another process migrates, and a migration may build an index over millions of rows.
  const client = postgres(url, {
    max: opts.maxConnections ?? 10,
    onnotice: () => {},
    // A startup parameter, so it holds on every pooled connection from its first statement.
    connection: { statement_timeout: opts.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS },
    // Fail fast while PostgreSQL is away; callers retry.
    connect_timeout: 5,
    idle_timeout: 60,
  });
  const db = drizzlePostgres(client, { schema }) as unknown as Db;
  return {
    kind: "postgres",
    db,
    // postgres.js answers with a RowList (an Array subclass): hand out a plain array, as PGlite does.
    rows: async <T,>(query: SQL) => Array.from((await db.execute(query)) as unknown as T[]),
    ping: async () => {
      await client`select 1`;
    },
    close: () => client.end({ timeout: 5 }),
  };
}

function initPgliteDir(dir: string): void {
  const script = "import('@electric-sql/pglite').then(async ({ PGlite }) => { await (await PGlite.create(process.argv[1])).close(); })";
  const r = spawnSync(process.execPath, ["-e", script, dir], { encoding: "utf8", cwd: process.cwd() });
  if (r.status !== 0) throw new Error(`could not initialise the PGlite store in ${dir}: ${r.stderr || r.error?.message}`);
}

async function openPglite(dataDir: string, opts: StoreOptions): Promise<Store> {
  const dir = join(dataDir, "pglite");
  mkdirSync(dir, { recursive: true });
  // initdb leaves ~500 MB of WASM memory behind in the process that ran it: initialise a new
  // folder in a short-lived child process, then open it here (RSS ≈ 250 MB instead of ≈ 800 MB).
  if (!existsSync(join(dir, "PG_VERSION"))) initPgliteDir(dir);
  const client = await PGlite.create(dir, { postgresqlconf: PGLITE_CONF });
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  await migratePglite(drizzlePglite(client), { migrationsFolder: migrationsPath(opts) });
  // Set for parity with PostgreSQL (SHOW statement_timeout agrees), but the WASM build does not
  // enforce it: it has no timer signal. Measured on PGlite 0.5.16 with 500 ms: pg_sleep(3) ran
  // 3.0 s, and a 200M-row count ran 49 s with Node's event loop blocked throughout. So on PGlite
  // only the shape of each query (limits, indexes) bounds it.
  await client.exec(`SET statement_timeout = ${Math.trunc(opts.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS)}`);
  return {
    kind: "pglite",
    db,
    rows: async <T,>(query: SQL) =>
      ((await db.execute(query)) as unknown as { rows: T[] }).rows,
    ping: async () => {
      await client.query("select 1");
    },
    close: () => client.close(),
  };
}

/** Opens the store and brings its schema up to date. */
export async function openStore(opts: StoreOptions): Promise<Store> {
  return opts.databaseUrl ? openPostgres(opts.databaseUrl, opts) : openPglite(opts.dataDir, opts);
}

