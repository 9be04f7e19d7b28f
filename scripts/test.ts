// `npm test`: the whole suite. Starts what the tests need — a real Kafka broker (KRaft,
// from the Maven Central jars), a throwaway PostgreSQL server and a Schema Registry (Apicurio,
// SCHEMA_REGISTRY_URL), all on free ports — runs
// unit, architecture, integration and end-to-end tests with node's test runner, and stops
// everything. `npm test -- unit` (or integration, e2e, architecture) runs one layer;
// more words filter test files by name.
import { spawn } from "node:child_process";
import { chmodSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startKafka } from "./lib/kafka-broker";
import { startPostgres } from "./lib/postgres-server";
import { ensureSerdeProducerBuilt, startRegistry } from "./lib/schema-registry";

const LAYERS = ["unit", "architecture", "integration", "e2e"] as const;
type Layer = (typeof LAYERS)[number];

function files(layer: Layer, filters: string[]): string[] {
  const dir = join("tests", layer);
  let names: string[];
  try {
    names = readdirSync(dir).filter((f) => f.endsWith(".test.ts"));
  } catch {
    return [];
  }
  return names
    .filter((f) => filters.length === 0 || filters.some((w) => f.includes(w)))
    .sort()
    .map((f) => join(dir, f));
}

function runNodeTest(testFiles: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ["--conditions=react-server", "--import", "tsx", "--test", "--test-concurrency=1", "--test-timeout=600000", "--test-reporter=spec", ...testFiles],
      { stdio: "inherit", env },
    );
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const layers = args.filter((a): a is Layer => (LAYERS as readonly string[]).includes(a));
  const filters = args.filter((a) => !(LAYERS as readonly string[]).includes(a));
  const chosen: Layer[] = layers.length ? layers : [...LAYERS];
  const plan = chosen.map((layer) => ({ layer, files: files(layer, filters) })).filter((p) => p.files.length > 0);
  if (plan.length === 0) throw new Error(`no test files match ${args.join(" ")}`);

  const needsInfra = plan.some((p) => p.layer === "integration" || p.layer === "e2e");
  const work = mkdtempSync(join(tmpdir(), "flowtap-test-"));
  // PostgreSQL may run as another user (when we are root): it must reach its folder.
  chmodSync(work, 0o755);
  const env: NodeJS.ProcessEnv = { ...process.env, FLOWTAP_TEST_WORKDIR: work, NODE_ENV: "test" };
  const cleanups: Array<() => Promise<void> | void> = [() => rmSync(work, { recursive: true, force: true })];
  const cleanup = async () => {
    for (const c of cleanups.reverse()) await c();
  };
  // Interrupted (Ctrl-C, or a CI time limit's SIGTERM): still stop the broker and PostgreSQL.
  process.on("SIGINT", () => void cleanup().then(() => process.exit(130)));
  process.on("SIGTERM", () => void cleanup().then(() => process.exit(143)));

  let failed = 0;
  try {
    if (needsInfra) {
      const log = (line: string) => console.log(`[test] ${line}`);
      const pg = await startPostgres({ dir: join(work, "pg") });
      cleanups.push(() => pg.destroy());
      log(`PostgreSQL on ${pg.url}`);
      const kafka = await startKafka({ dataDir: join(work, "kafka"), logFile: join(work, "kafka.log"), log });
      cleanups.push(() => kafka.stop());
      log(`Kafka on ${kafka.brokers}`);
      env.FLOWTAP_TEST_DATABASE_URL = pg.url;
      env.FLOWTAP_TEST_KAFKA_BROKERS = kafka.brokers;
      // A real Schema Registry (Apicurio, Confluent's API), built from Maven Central on the first run;
      // a failed build fails the run. The Java serializer the registry tests use is built here too.
      const registry = await startRegistry({ logFile: join(work, "registry.log"), log });
      cleanups.push(() => registry.stop());
      log(`Schema Registry on ${registry.url}`);
      env.SCHEMA_REGISTRY_URL = registry.url;
      await ensureSerdeProducerBuilt(log);
    }
    for (const p of plan) {
      console.log(`\n=== ${p.layer} (${p.files.length} file${p.files.length === 1 ? "" : "s"}) ===`);
      const code = await runNodeTest(p.files, env);
      if (code !== 0) failed++;
    }
  } finally {
    await cleanup();
  }
  if (failed) {
    console.error(`\n${failed} test layer(s) failed`);
    process.exit(1);
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack ?? err.message : err);
  process.exit(1);
});
