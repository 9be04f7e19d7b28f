// `npm run demo`: a local Kafka broker, the saga topics, a production build of the app, the
// web server (tap + embedded PGlite store in .flowtap/demo) and the order-saga traffic, in
// one command. Prints the URL and a few correlation IDs to try; Ctrl-C stops all of it.
import type { ChildProcess } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { Kafka, logLevel } from "kafkajs";
import { startKafka, type KafkaBroker } from "./lib/kafka-broker";
import { buildIsStale, portOpen, runBuild, startWebServer, type WebServer } from "./lib/demo-processes";
import { pickSamples, SAMPLE_LABELS, useBasicAuth, waitForFirstFlow, waitForHealth } from "./lib/demo-ready";
import { ensureDemoOperator } from "./lib/demo-user";
import { SAGA_TOPICS, startSagaSimulator, type SagaSimulator } from "./lib/saga-simulator";
import { registerPaymentSchema } from "./lib/saga-avro";
import { freePort } from "./lib/kafka-broker";
import { startRegistry, type SchemaRegistry } from "./lib/schema-registry";

const ROOT = resolve(__dirname, "..");
const log = (line: string) => console.log(`[demo] ${line}`);

function envNumber(name: string, fallback: number, valid: (n: number) => boolean): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!valid(n)) throw new Error(`${name}=${raw} is not valid`);
  return n;
}

const isPort = (n: number) => Number.isInteger(n) && n > 0 && n < 65536;

let stopping = false;
let mainDone: Promise<void> = Promise.resolve();
let broker: KafkaBroker | null = null;
let build: ChildProcess | null = null;
let web: WebServer | null = null;
let simulator: SagaSimulator | null = null;
let registry: SchemaRegistry | null = null;

function timeout(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Stops what runs, in order (traffic, web server, broker), and exits. Runs once. */
async function shutdown(code: number, why?: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  if (why) console.error(`[demo] ${why}`);
  if (build && build.exitCode === null) build.kill("SIGTERM");
  // main() notices `stopping` after its current step; whatever that step started is then known.
  await Promise.race([mainDone, timeout(70_000)]);
  if (simulator || web || broker || registry) {
    log("stopping …");
    if (simulator) await Promise.race([simulator.stop(), timeout(15_000)]);
    if (web) await web.stop();
    if (broker) await broker.stop();
    if (registry) await registry.stop();
    log("stopped");
  }
  process.exit(code);
}

function adminFor(brokers: string, retries: number) {
  return new Kafka({ clientId: "flowtap-demo", brokers: [brokers], logLevel: logLevel.NOTHING, connectionTimeout: 3000, retry: { retries } }).admin();
}

/** Whether a Kafka broker (not some other server) answers on `brokers`. */
async function answersAsKafka(brokers: string): Promise<boolean> {
  const admin = adminFor(brokers, 1);
  try {
    await admin.connect();
    await admin.describeCluster();
    return true;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** Creates the saga topics that are missing, 3 partitions each; returns how many it created. */
async function ensureTopics(brokers: string): Promise<number> {
  // A broker that just opened its port may still be electing its controller: retry patiently.
  const admin = adminFor(brokers, 10);
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = SAGA_TOPICS.filter((t) => !existing.has(t));
    if (missing.length > 0) {
      await admin.createTopics({ topics: missing.map((topic) => ({ topic, numPartitions: 3, replicationFactor: 1 })), waitForLeaders: true });
    }
    return missing.length;
  } finally {
    await admin.disconnect();
  }
}

async function main(): Promise<void> {
  const kafkaPort = envNumber("KAFKA_PORT", 9092, isPort);
  const port = envNumber("PORT", 3000, isPort);
  const ordersPerSecond = envNumber("DEMO_ORDERS_PER_SECOND", 2.5, (n) => n > 0 && n <= 200);
  // "off" (or 0 minutes of history) leaves the fault or the history out.
  const faultAfterS = process.env.DEMO_FAULT_AFTER_S === "off" ? Infinity : envNumber("DEMO_FAULT_AFTER_S", 180, (n) => n >= 0);
  const historyMinutes = envNumber("DEMO_HISTORY_MINUTES", 120, (n) => n >= 0 && n <= 24 * 60);
  const dataDir = resolve(ROOT, process.env.FLOWTAP_DATA_DIR || join(".flowtap", "demo"));
  const base = `http://127.0.0.1:${port}`;
  mkdirSync(dataDir, { recursive: true });
  if (await portOpen(port)) throw new Error(`port ${port} is already in use; set PORT to another one`);

  const brokers = `127.0.0.1:${kafkaPort}`;
  if (await portOpen(kafkaPort)) {
    if (!(await answersAsKafka(brokers))) throw new Error(`port ${kafkaPort} is taken by something that is not a Kafka broker; set KAFKA_PORT`);
    log(`a Kafka broker is already running on ${brokers}: reusing it (the demo will not stop it)`);
  } else {
    const kafkaDir = join(dataDir, "kafka");
    const logFile = join(kafkaDir, "broker.log");
    mkdirSync(kafkaDir, { recursive: true });
    log(`starting the Kafka broker on ${brokers} (data in ${kafkaDir}) …`);
    broker = await startKafka({ port: kafkaPort, dataDir: kafkaDir, logFile, log });
    broker.process.once("exit", (code, signal) => {
      if (!stopping) void shutdown(1, `the Kafka broker exited unexpectedly (${signal ?? `exit ${code}`}); see ${logFile}`);
    });
    log("Kafka broker ready");
  }
  if (stopping) return;
  if (process.env.KAFKA_BROKERS && process.env.KAFKA_BROKERS !== brokers) {
    log(`ignoring KAFKA_BROKERS=${process.env.KAFKA_BROKERS}: the demo's traffic and tap use ${brokers} (KAFKA_PORT moves it)`);
  }

  const created = await ensureTopics(brokers);
  log(`topics ready: ${SAGA_TOPICS.length} saga topics, 3 partitions each (${created} created)`);
  if (stopping) return;

  if (buildIsStale(ROOT)) {
    log("building the app (npx next build) …");
    await runBuild(ROOT, (child) => (build = child));
    build = null;
  } else {
    log("the production build is up to date");
  }
  if (stopping) return;

  // The demo's own Schema Registry (unless SCHEMA_REGISTRY_URL names one): its port is chosen now so
  // the web server knows the URL from the start; it is built and started in the background.
  const ownRegistryPort = process.env.SCHEMA_REGISTRY_URL ? null : await freePort();
  const registryUrl = process.env.SCHEMA_REGISTRY_URL || `http://127.0.0.1:${ownRegistryPort}/apis/ccompat/v7`;

  const operator = await ensureDemoOperator(dataDir);
  useBasicAuth(operator.name, operator.password);
  const webLog = join(dataDir, "web.log");
  web = startWebServer({
    root: ROOT,
    port,
    logFile: webLog,
    env: {
      ...process.env,
      FLOWTAP_DATA_DIR: dataDir,
      KAFKA_BROKERS: brokers,
      FLOWTAP_TAP: process.env.FLOWTAP_TAP || "on",
      FLOWTAP_TOPIC_REFRESH_S: process.env.FLOWTAP_TOPIC_REFRESH_S || "5",
      FLOWTAP_STUCK_AFTER_S: process.env.FLOWTAP_STUCK_AFTER_S || "60",
      SCHEMA_REGISTRY_URL: registryUrl,
    },
  });
  const server = web;
  server.process.once("exit", (code, signal) => {
    if (!stopping) void shutdown(1, `the web server exited unexpectedly (${signal ?? `exit ${code}`}); see ${webLog}:\n${server.tail()}`);
  });
  log(`web server starting on ${base} (output in ${webLog})`);

  simulator = await startSagaSimulator({
    brokers: [brokers], ordersPerSecond, log, faultAfterMs: faultAfterS * 1000, historyMs: historyMinutes * 60_000,
  });
  log(`traffic: ${ordersPerSecond} orders/s; consumer groups payment-service, inventory-service, notification-service (slow: 1 record/s)`);
  if (historyMinutes > 0) log(`history: ${historyMinutes} min of back-dated orders, so the flow map has a baseline (DEMO_HISTORY_MINUTES)`);
  void switchPaymentsToAvro(simulator, ownRegistryPort, registryUrl, dataDir);
  if (Number.isFinite(faultAfterS)) log(`fault: inventory-service degrades ${faultAfterS} s after start; watch ${base}/map (DEMO_FAULT_AFTER_S, "off" for none)`);
  if (stopping) return;

  const cancelled = () => stopping;
  if (!(await waitForHealth(base, 90_000, cancelled))) {
    if (!stopping) throw new Error(`${base}/api/health did not answer 200 within 90 s; see ${webLog}`);
    return;
  }
  log("web server is up; waiting for the tap to index the first flows …");
  if (!(await waitForFirstFlow(base, 90_000, cancelled))) {
    if (!stopping) throw new Error(`no flow was indexed within 90 s (is FLOWTAP_TAP on?); see ${webLog}`);
    return;
  }
  const sim = simulator;
  const samples = await pickSamples(base, () => sim.sampleIds(), { settleMs: 20_000, timeoutMs: 90_000, cancelled });
  if (stopping) return;

  log(`ready: ${base}  (sign in as ${operator.name} / ${operator.password}${operator.generated ? ", a password made for this run; set FLOWTAP_DEMO_PASSWORD to choose one" : ""})`);
  log("correlation IDs to try:");
  for (const [outcome, label] of SAMPLE_LABELS) {
    const id = samples[outcome];
    if (id) log(`  ${label.padEnd(56)} ${base}/flows/${id}`);
  }
  if (!samples.completed || !samples.compensated || !(samples["dlq-spring"] ?? samples["dlq-laravel"])) {
    log("  (some kinds of flow are not indexed yet: browse the list on the home page)");
  }
  log("Ctrl-C stops everything.");
}

/**
 * Starts the demo's registry (first run: a one-time build of a minute or more, cached in
 * ~/.cache/flowtap), registers the payment schema, and switches payment-service to Avro. Flows
 * show from the first second regardless: payments are JSON until then.
 */
async function switchPaymentsToAvro(sim: SagaSimulator, ownPort: number | null, url: string, dataDir: string): Promise<void> {
  try {
    if (ownPort !== null) {
      log("schema registry: starting Apicurio (the first run builds it once, 1–3 min); payment-service writes JSON until it is up");
      // Schemas persist beside the index, so records indexed by an earlier run keep their schema ids.
      const started = await startRegistry({ port: ownPort, dataDir: join(dataDir, "registry"), logFile: join(dataDir, "registry.log"), log: () => {} });
      // A Ctrl-C during the start has passed shutdown's look at `registry` already.
      if (stopping) return void (await started.stop());
      registry = started;
    }
    const ids = await registerPaymentSchema(url);
    sim.usePaymentSchema(ids);
    log(`schema registry: ${url} up; payment-service now writes Avro (schema ids ${[...ids].map(([t, id]) => `${t} ${id}`).join(", ")})`);
  } catch (err) {
    if (!stopping) log(`schema registry: ${err instanceof Error ? err.message : String(err)}; payment-service keeps writing JSON`);
  }
}

process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));
mainDone = main().catch((err: unknown) => {
  if (!stopping) void shutdown(1, err instanceof Error ? err.message : String(err));
});
