// `npm run registry`: a local Schema Registry (Apicurio Registry 2.4.2, Confluent's API at
// /apis/ccompat/v7) on 127.0.0.1:8081 (SCHEMA_REGISTRY_PORT to change), built from Maven Central
// on the first run. Schemas are kept under FLOWTAP_DATA_DIR/registry, like the local broker's
// records, so that ids stay valid across restarts. Ctrl-C stops it.
import { join } from "node:path";
import { startRegistry } from "./lib/schema-registry";

async function main(): Promise<void> {
  const port = Number(process.env.SCHEMA_REGISTRY_PORT ?? 8081);
  const dataDir = join(process.env.FLOWTAP_DATA_DIR ?? ".flowtap", "registry");
  const logFile = join(dataDir, "registry.log");
  const registry = await startRegistry({ port, dataDir, logFile });
  console.log(`Schema Registry ready: SCHEMA_REGISTRY_URL=${registry.url} (schemas in ${dataDir}, log in ${logFile}). Ctrl-C stops it.`);
  let stopping = false;
  const stop = () => {
    stopping = true;
    void registry.stop().then(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  registry.process.once("exit", (code) => {
    // Ctrl-C in a terminal reaches the JVM too: that exit is the one asked for.
    if (stopping) return;
    console.error(`Schema Registry exited (${code ?? "signal"}); see ${logFile}`);
    process.exit(1);
  });
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
