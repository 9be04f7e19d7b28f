// A local single-node Apache Kafka broker (KRaft) from the jars on Maven Central.
// The jars are fetched once with Maven into a cache folder; each broker gets its own
// data folder, formatted before the first start. Used by `npm run kafka`, the demo,
// the test harness and the benchmarks.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, writeFileSync, createWriteStream, rmSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { connect } from "node:net";
import { createServer } from "node:net";

export const KAFKA_VERSION = "3.9.1";
const SLF4J_VERSION = "1.7.36";

export function cacheDir(): string {
  return process.env.FLOWTAP_CACHE_DIR ?? join(homedir(), ".cache", "flowtap");
}

/** Downloads the broker jars with Maven on first use; returns the folder holding them. */
export function ensureKafkaJars(log: (line: string) => void = console.log): string {
  const root = join(cacheDir(), `kafka-${KAFKA_VERSION}`);
  const libs = join(root, "libs");
  const marker = join(root, ".complete");
  if (existsSync(marker)) return libs;
  log(`Fetching Apache Kafka ${KAFKA_VERSION} jars from Maven Central (once) into ${root} …`);
  mkdirSync(root, { recursive: true });
  writeFileSync(
    join(root, "pom.xml"),
    `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.flowtap</groupId><artifactId>local-kafka</artifactId><version>1</version><packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>${KAFKA_VERSION}</version></dependency>
    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-reload4j</artifactId><version>${SLF4J_VERSION}</version></dependency>
  </dependencies>
</project>
`,
  );
  const mvn = spawnSync(
    "mvn",
    ["-q", "-B", "dependency:copy-dependencies", `-DoutputDirectory=${libs}`, "-DincludeScope=runtime"],
    { cwd: root, stdio: "inherit" },
  );
  if (mvn.error) throw new Error(`Maven is needed to fetch the Kafka jars: ${mvn.error.message}`);
  if (mvn.status !== 0) throw new Error(`mvn dependency:copy-dependencies failed (exit ${mvn.status})`);
  if (!readdirSync(libs).some((f) => f.startsWith("kafka_2.13-"))) throw new Error(`no Kafka jar in ${libs}`);
  writeFileSync(marker, new Date().toISOString());
  return libs;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** True when something accepts connections on 127.0.0.1:port. */
export function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect({ host: "127.0.0.1", port });
    sock.once("connect", () => {
      sock.destroy();
      resolve(true);
    });
    sock.once("error", () => resolve(false));
  });
}

export interface KafkaBroker {
  brokers: string;
  port: number;
  dataDir: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export interface StartOptions {
  port?: number;
  dataDir: string;
  /** Print broker log lines to this file instead of discarding them. */
  logFile?: string;
  /** Wipe the data folder first. */
  fresh?: boolean;
  heapMb?: number;
  log?: (line: string) => void;
}

/** Formats (first time) and starts a broker; resolves when it accepts connections. */
export async function startKafka(opts: StartOptions): Promise<KafkaBroker> {
  const log = opts.log ?? console.log;
  const libs = ensureKafkaJars(log);
  const port = opts.port ?? (await freePort());
  const controllerPort = await freePort();
  if (await portOpen(port)) throw new Error(`port ${port} is already in use: is another Kafka broker running?`);
  if (opts.fresh) rmSync(opts.dataDir, { recursive: true, force: true });
  const logDir = join(opts.dataDir, "log");
  mkdirSync(logDir, { recursive: true });
  const props = join(opts.dataDir, "server.properties");
  writeFileSync(
    props,
    [
      "process.roles=broker,controller",
      "node.id=1",
      `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
      `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
      `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
      "controller.listener.names=CONTROLLER",
      "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
      "inter.broker.listener.name=PLAINTEXT",
      `log.dirs=${logDir}`,
      "num.partitions=1",
      "offsets.topic.replication.factor=1",
      "offsets.topic.num.partitions=10",
      "transaction.state.log.replication.factor=1",
      "transaction.state.log.min.isr=1",
      "group.initial.rebalance.delay.ms=0",
      "auto.create.topics.enable=false",
      "delete.topic.enable=true",
      "message.max.bytes=10485760",
      "log.retention.hours=-1",
      "",
    ].join("\n"),
  );
  const log4j = join(opts.dataDir, "log4j.properties");
  writeFileSync(
    log4j,
    [
      "log4j.rootLogger=WARN, out",
      "log4j.appender.out=org.apache.log4j.ConsoleAppender",
      "log4j.appender.out.layout=org.apache.log4j.PatternLayout",
      "log4j.appender.out.layout.ConversionPattern=[%d] %p %m (%c)%n",
      "log4j.logger.kafka.server.BrokerServer=INFO",
      "",
    ].join("\n"),
  );
  const cp = `${libs}/*`;
  const java = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, "bin", "java") : "java";
  const jvmLog = [`-Dlog4j.configuration=file:${log4j}`];
  // The controller port changes per start, but the cluster id and node id stay: re-formatting is not needed.
  if (!existsSync(join(logDir, "meta.properties"))) {
    const id = spawnSync(java, ["-cp", cp, ...jvmLog, "kafka.tools.StorageTool", "random-uuid"], { encoding: "utf8" });
    if (id.status !== 0) throw new Error(`kafka StorageTool random-uuid failed: ${id.stderr}`);
    const fmt = spawnSync(
      java,
      ["-cp", cp, ...jvmLog, "kafka.tools.StorageTool", "format", "-t", id.stdout.trim(), "-c", props],
      { encoding: "utf8" },
    );
    if (fmt.status !== 0) throw new Error(`kafka StorageTool format failed: ${fmt.stderr || fmt.stdout}`);
  }
  const heap = opts.heapMb ?? 512;
  const child = spawn(
    java,
    [`-Xmx${heap}m`, `-Xms${Math.min(heap, 256)}m`, "-XX:+UseG1GC", "-cp", cp, ...jvmLog, "kafka.Kafka", props],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  const out = opts.logFile ? createWriteStream(opts.logFile, { flags: "a" }) : null;
  let tail = "";
  const keep = (chunk: Buffer) => {
    out?.write(chunk);
    tail = (tail + chunk.toString("utf8")).slice(-4000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  let exited = false;
  child.once("exit", () => {
    exited = true;
  });

  const deadline = Date.now() + 60_000;
  while (!(await portOpen(port))) {
    if (exited) throw new Error(`Kafka broker exited during start:\n${tail}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`Kafka broker did not open port ${port} within 60 s:\n${tail}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }

  return {
    brokers: `127.0.0.1:${port}`,
    port,
    dataDir: opts.dataDir,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
        child.once("exit", () => {
          clearTimeout(timer);
          out?.end();
          resolve();
        });
        child.kill("SIGTERM");
      }),
  };
}
