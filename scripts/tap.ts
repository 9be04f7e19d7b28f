// `npm run tap`: the tap (and the lag sampler) alone, for scaling it apart from the web servers. Several of
// these share partitions through the consumer group. SIGTERM/SIGINT stop it cleanly.
import { ConfigError, getConfig } from "../server/config";
import { openStore } from "../server/db/client";
import { startWorkers } from "../server/workers";

async function main(): Promise<void> {
  const config = getConfig();
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, statementTimeoutMs: config.statementTimeoutMs });
  const workers = await startWorkers(config, store);
  console.log(`tap: started (${store.kind}), brokers ${config.kafka.brokers.join(",")}`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`tap: ${signal}, finishing the current batch and stopping`);
    void workers
      .stop()
      .then(() => store.close())
      .then(() => process.exit(0), (err: unknown) => {
        console.error(err);
        process.exit(1);
      });
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err instanceof Error ? err.message : err);
  process.exit(1);
});
