// A real Schema Registry for the tests and the demo: Apicurio Registry 2.4.2.Final, which speaks
// Confluent's Schema Registry API at /apis/ccompat/v7. Confluent's registry is not on Maven
// Central; Apicurio's jars are. The project builds a runnable registry from them once, with Maven
// and the Quarkus Maven plugin (scripts/java/apicurio-registry/pom.xml), into
// ~/.cache/flowtap/apicurio-2.4.2, and starts it on a free port with in-memory storage.
//
// Also here: a real serializer (scripts/java/serde-producer: Apicurio's Kafka serdes configured for
// Confluent's wire format), built once the same way, to produce Avro, Protobuf and JSON Schema
// records the way a Java service would.
//
// Builds are keyed by a hash of their Maven sources (an edited pom or Java file rebuilds), and
// guarded by a lock folder so that concurrent test runs build once and the others wait.
import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import {
  closeSync,
  copyFileSync,
  createWriteStream,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { hostname } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { cacheDir, freePort, portOpen } from "./kafka-broker";

export const APICURIO_VERSION = "2.4.2.Final";
const JAVA_DIR = resolve(import.meta.dirname, "..", "java");
const RUNNER_JAR = "flowtap-apicurio-registry-2.4.2-runner.jar";
const SERDE_JAR = "flowtap-serde-producer-1.jar";
const BUILD_TIMEOUT_MS = 20 * 60_000;

type Log = (line: string) => void;

function java(): string {
  return process.env.JAVA_HOME ? join(process.env.JAVA_HOME, "bin", "java") : "java";
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Last `bytes` of a file as text ("" when it does not exist). */
export function fileTail(path: string, bytes = 4000): string {
  try {
    const size = statSync(path).size;
    const len = Math.min(size, bytes);
    const buf = Buffer.alloc(len);
    const fd = openSync(path, "r");
    try {
      readSync(fd, buf, 0, len, size - len);
    } finally {
      closeSync(fd);
    }
    return buf.toString("utf8");
  } catch {
    return "";
  }
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "target") out.push(...listFiles(p));
    }
    else out.push(p);
  }
  return out.sort();
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Runs `fn` holding a lock folder (mkdir is atomic). A lock left by a process that is gone is
 * taken over; a live holder is waited for, up to BUILD_TIMEOUT_MS.
 */
async function withLock<T>(lockDir: string, what: string, log: Log, fn: () => Promise<T>): Promise<T> {
  mkdirSync(dirname(lockDir), { recursive: true });
  const deadline = Date.now() + BUILD_TIMEOUT_MS;
  let told = false;
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(join(lockDir, "owner"), JSON.stringify({ pid: process.pid, host: hostname(), at: new Date().toISOString() }));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      let owner: { pid?: number; host?: string } = {};
      try {
        owner = JSON.parse(readFileSync(join(lockDir, "owner"), "utf8")) as typeof owner;
      } catch {
        // The owner file is written just after the folder: give it a moment before judging.
        const st = statSync(lockDir, { throwIfNoEntry: false });
        if (!st) continue;
        if (Date.now() - st.mtimeMs > 10_000) owner = { pid: -1, host: hostname() };
      }
      if (owner.pid !== undefined && owner.host === hostname() && (owner.pid < 0 || !pidAlive(owner.pid))) {
        rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (!told) {
        log(`Waiting for another process (pid ${owner.pid ?? "?"}) that is building ${what} …`);
        told = true;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for the lock ${lockDir} (held by pid ${owner.pid ?? "?"}) while building ${what}`);
      await sleep(1000);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

interface MavenBuild {
  /** Cache folder the build happens in. */
  dir: string;
  /** The project folder under scripts/java (copied into `dir`). */
  project: string;
  what: string;
  /** Relative to `dir`: what must exist after a good build. */
  product: string;
  /** Shown in the first log line. */
  hint: string;
  /** Run after a good build (to drop what is not needed). */
  after?: (dir: string) => void;
}

/** Builds a Maven project from scripts/java once into the cache; returns its folder. */
async function buildOnce(b: MavenBuild, log: Log): Promise<string> {
  const src = join(JAVA_DIR, b.project);
  const settings = join(JAVA_DIR, "settings.xml");
  const inputs = [settings, ...listFiles(src)];
  const hash = createHash("sha256");
  for (const f of inputs) hash.update(relative(JAVA_DIR, f)).update("\0").update(readFileSync(f)).update("\0");
  const key = hash.digest("hex");
  const marker = join(b.dir, ".complete");
  const done = () => existsSync(marker) && readFileSync(marker, "utf8").trim() === key && existsSync(join(b.dir, b.product));
  if (done()) return b.dir;

  return withLock(`${b.dir}.lock`, b.what, log, async () => {
    if (done()) return b.dir; // built by the process we waited for
    const started = Date.now();
    rmSync(b.dir, { recursive: true, force: true });
    mkdirSync(b.dir, { recursive: true });
    for (const f of listFiles(src)) {
      const to = join(b.dir, relative(src, f));
      mkdirSync(dirname(to), { recursive: true });
      copyFileSync(f, to);
    }
    copyFileSync(settings, join(b.dir, "settings.xml"));
    const logFile = join(b.dir, "build.log");
    log(`Building ${b.what} from Maven Central (once, ${b.hint}) into ${b.dir}; log: ${logFile}`);
    const out = createWriteStream(logFile);
    const code = await new Promise<number>((resolveCode, reject) => {
      const child = spawn("mvn", ["-B", "-s", "settings.xml", "-DskipTests", "package"], { cwd: b.dir, stdio: ["ignore", "pipe", "pipe"] });
      child.stdout.pipe(out, { end: false });
      child.stderr.pipe(out, { end: false });
      const timer = setTimeout(() => child.kill("SIGKILL"), BUILD_TIMEOUT_MS);
      child.once("error", (err: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(
          err.code === "ENOENT"
            ? new Error(`Maven (mvn) and Java 17+ are needed to build ${b.what}: mvn was not found on PATH`)
            : err,
        );
      });
      child.once("close", (c, signal) => {
        clearTimeout(timer);
        resolveCode(c ?? (signal ? 128 : 1));
      });
    });
    await new Promise<void>((r) => out.end(r));
    if (code !== 0 || !existsSync(join(b.dir, b.product))) {
      const tail = fileTail(logFile, 6000)
        .split("\n")
        .filter((l) => !/Download(ing|ed) from/.test(l))
        .slice(-40)
        .join("\n");
      throw new Error(`Building ${b.what} failed (mvn exit ${code}); full log in ${logFile}. Last lines:\n${tail}`);
    }
    b.after?.(b.dir);
    writeFileSync(marker, key);
    log(`Built ${b.what} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    return b.dir;
  });
}

/** Builds the registry once (≈30 s with the jars already in ~/.m2; 1–4 min and ≈220 MB of downloads from an empty one); returns the runner jar. */
export async function ensureRegistryBuilt(log: Log = console.log): Promise<string> {
  const dir = await buildOnce(
    {
      dir: join(cacheDir(), "apicurio-2.4.2"),
      project: "apicurio-registry",
      what: `Apicurio Registry ${APICURIO_VERSION}`,
      product: join("target", RUNNER_JAR),
      hint: "30 s with the jars in ~/.m2, 1–4 min and ~220 MB of downloads without",
      // The unpacked app and its plain jar (≈45 MB) are inputs of the Quarkus build only.
      after: (d) => {
        rmSync(join(d, "target", "classes"), { recursive: true, force: true });
        rmSync(join(d, "target", "flowtap-apicurio-registry-2.4.2.jar"), { force: true });
      },
    },
    log,
  );
  return join(dir, "target", RUNNER_JAR);
}

/** Builds the serde producer once; returns its Java classpath. */
export async function ensureSerdeProducerBuilt(log: Log = console.log): Promise<string> {
  const dir = await buildOnce(
    {
      dir: join(cacheDir(), "serde-producer-2.4.2"),
      project: "serde-producer",
      what: `the serde producer (Apicurio serdes ${APICURIO_VERSION})`,
      product: join("target", SERDE_JAR),
      hint: "15–30 s",
    },
    log,
  );
  return `${join(dir, "target", SERDE_JAR)}:${join(dir, "target", "lib")}/*`;
}

export interface SchemaRegistry {
  /** The Confluent-compatible base URL, http://127.0.0.1:PORT/apis/ccompat/v7: what SCHEMA_REGISTRY_URL takes. */
  url: string;
  /** http://127.0.0.1:PORT (Apicurio's own API is at /apis/registry/v2). */
  origin: string;
  port: number;
  pid: number;
  process: ChildProcess;
  logFile: string;
  /** Stops the registry (SIGTERM, then SIGKILL after 10 s) and waits until its port is closed. */
  stop(): Promise<void>;
}

export interface RegistryOptions {
  /** Default: a free port. Restarting on the port of a stopped registry works. */
  port?: number;
  /** Registry output goes here (appended). Default: a file in the cache folder's logs/. */
  logFile?: string;
  /**
   * Keep schemas across restarts in an H2 database file in this folder. Default: in memory, so
   * a restarted registry starts empty and hands out ids from 1 again.
   */
  dataDir?: string;
  /** Java heap limit, MB (default 256). */
  heapMb?: number;
  /** How long to wait for the API to answer (default 60 s). */
  readyTimeoutMs?: number;
  log?: Log;
}

async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}

/** Builds (first time) and starts a registry on 127.0.0.1; resolves when the ccompat API answers. */
export async function startRegistry(opts: RegistryOptions = {}): Promise<SchemaRegistry> {
  const log = opts.log ?? console.log;
  const jar = await ensureRegistryBuilt(log);
  const port = opts.port ?? (await freePort());
  if (await portOpen(port)) throw new Error(`port ${port} is already in use: is another Schema Registry running?`);
  const logFile = opts.logFile ?? join(cacheDir(), "logs", `apicurio-${port}-${process.pid}.log`);
  mkdirSync(dirname(logFile), { recursive: true });
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (opts.dataDir) {
    mkdirSync(opts.dataDir, { recursive: true });
    env.REGISTRY_DATASOURCE_URL = `jdbc:h2:file:${join(resolve(opts.dataDir), "registry")}`;
  } else {
    delete env.REGISTRY_DATASOURCE_URL;
  }
  const heap = opts.heapMb ?? 256;
  const args = [
    `-Xmx${heap}m`,
    "-XX:+UseSerialGC",
    "-XX:TieredStopAtLevel=1",
    `-Dquarkus.http.port=${port}`,
    "-Dquarkus.http.host=127.0.0.1",
    // 20 pooled H2 connections at start are Apicurio's production default; a test registry needs few.
    "-Dquarkus.datasource.jdbc.initial-size=2",
    "-Dquarkus.datasource.jdbc.min-size=2",
    "-jar",
    jar,
  ];
  const out = createWriteStream(logFile, { flags: "a" });
  const child = spawn(java(), args, { stdio: ["ignore", "pipe", "pipe"], env });
  child.stdout?.pipe(out, { end: false });
  child.stderr?.pipe(out, { end: false });
  let exited = false;
  let exitCode: number | string | null = null;
  const exitedP = new Promise<void>((r) =>
    child.once("exit", (code, signal) => {
      exited = true;
      exitCode = code ?? signal;
      r();
    }),
  );
  // Never leave a registry behind when this process ends without calling stop().
  const killOnExit = () => {
    if (!exited) child.kill("SIGKILL");
  };
  process.once("exit", killOnExit);

  const origin = `http://127.0.0.1:${port}`;
  const url = `${origin}/apis/ccompat/v7`;
  const timeout = opts.readyTimeoutMs ?? 60_000;
  const deadline = Date.now() + timeout;
  while (!(await answers(`${url}/subjects`))) {
    if (exited) {
      process.removeListener("exit", killOnExit);
      throw new Error(`Schema Registry exited during start (${exitCode}); last lines of ${logFile}:\n${fileTail(logFile)}`);
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      await exitedP;
      process.removeListener("exit", killOnExit);
      throw new Error(`Schema Registry did not answer on ${url} within ${timeout / 1000} s; last lines of ${logFile}:\n${fileTail(logFile)}`);
    }
    await sleep(150);
  }

  let stopping: Promise<void> | null = null;
  return {
    url,
    origin,
    port,
    pid: child.pid ?? -1,
    process: child,
    logFile,
    stop: () =>
      (stopping ??= (async () => {
        if (!exited) {
          const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
          child.kill("SIGTERM");
          await exitedP;
          clearTimeout(timer);
        }
        process.removeListener("exit", killOnExit);
        await new Promise<void>((r) => out.end(r));
        const until = Date.now() + 10_000;
        while ((await portOpen(port)) && Date.now() < until) await sleep(100);
      })()),
  };
}

// ---------------------------------------------------------------------------------------------
// The Java serde producer.

export type SerdeFormat = "avro" | "protobuf" | "json-schema";

export interface SerdeSide {
  format: SerdeFormat;
  /** Avro schema JSON, .proto text, or JSON Schema text. */
  schema: string;
  /** Protobuf: the message type to build (full or simple name). */
  messageType?: string;
  /** Protobuf: the file name the schema is registered as (default schema.proto). */
  fileName?: string;
  /** Protobuf: Apicurio's schema check (default true; false is needed for a nested type). */
  validation?: boolean;
  /**
   * Avro: register nested named types inline (true) instead of Apicurio's default (false): each
   * nested record or enum registered as a subject of its own (its full name) and referenced.
   */
  dereference?: boolean;
  /** Register under this subject instead of TOPIC-value / TOPIC-key. */
  subject?: string;
}

export interface SerdeRecordSpec {
  /** A string (sent as UTF-8), or with a `key` side, a value for that schema. */
  key?: unknown;
  /** Plain JSON for the schema (see scripts/java/serde-producer: Avro logical types take strings). */
  value: unknown;
  headers?: Record<string, string>;
  partition?: number;
  timestamp?: number;
}

export interface SerdeSpec {
  /** produce (default): to Kafka; serialize: bytes only. */
  mode?: "produce" | "serialize";
  bootstrapServers?: string;
  /** Any URL of the registry (its origin is used), e.g. the ccompat URL. */
  registryUrl: string;
  topic: string;
  value: SerdeSide;
  key?: SerdeSide;
  /** The 4-byte id: contentId (default) is the id the ccompat API serves; globalId is Apicurio's per-version id. */
  idOption?: "contentId" | "globalId";
  /** Apicurio's own header mode: ids in headers, no magic byte. Default false (Confluent framing). */
  apicurioHeaders?: boolean;
  records: SerdeRecordSpec[];
}

export interface SerdeRecordResult {
  partition?: number;
  offset?: string;
  keyHex: string | null;
  valueHex: string | null;
  /** Header name → value as hex (what the serializer added, and the spec's own). */
  headers: Record<string, string | null>;
}

export interface SerdeResult {
  topic: string;
  records: SerdeRecordResult[];
}

/**
 * Runs the Java serde producer (built on first use) on one spec or several (one JVM for all);
 * resolves with what it produced or serialized.
 */
export async function runJavaSerde(specs: SerdeSpec[], log?: Log): Promise<SerdeResult[]>;
export async function runJavaSerde(spec: SerdeSpec, log?: Log): Promise<SerdeResult>;
export async function runJavaSerde(input: SerdeSpec | SerdeSpec[], log: Log = console.log): Promise<SerdeResult | SerdeResult[]> {
  const cp = await ensureSerdeProducerBuilt(log);
  return new Promise((resolveResult, reject) => {
    const child = spawn(java(), ["-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", cp, "dev.flowtap.serde.Main"], {
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString("utf8")));
    child.stderr.on("data", (c: Buffer) => (stderr = (stderr + c.toString("utf8")).slice(-8000)));
    const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
    child.once("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once("close", (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`the Java serde producer failed (exit ${code}):\n${stderr.trim()}`));
      try {
        resolveResult(JSON.parse(stdout) as SerdeResult | SerdeResult[]);
      } catch {
        reject(new Error(`the Java serde producer printed no JSON:\n${stdout}\n${stderr}`));
      }
    });
    child.stdin.end(JSON.stringify(input));
  });
}
