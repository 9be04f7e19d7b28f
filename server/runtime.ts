import "server-only";
// The process-wide parts: configuration, the store, the Kafka probe, the tap, and with a Schema
// Registry configured the read side's decoder and the registry probe (read-side.ts). Kept on
// globalThis because Next.js bundles instrumentation and route handlers separately and
// each bundle would otherwise open its own store (PGlite allows one opener per folder).
import { getConfig, type Config } from "./config";
import { openStore, type Store } from "./db/client";
import type { DecodeOnRead } from "./decode/decode-on-read";
import type { RegistryProbe } from "./health/registry-probe";
import { createKafkaProbe } from "./kafka/health";
import { createReadSide } from "./read-side";
import { startWorkers, type Workers } from "./workers";

export interface Runtime {
  config: Config;
  store: Promise<Store>;
  kafka: ReturnType<typeof createKafkaProbe>;
  workers: Workers | null;
  /** Decodes again, for an answer, records indexed as binary while their schema was not to be had; identity without a registry. */
  decodeOnRead: DecodeOnRead;
  /** Null without SCHEMA_REGISTRY_URL. */
  registry: RegistryProbe | null;
}

const KEY = Symbol.for("flowtap.runtime");
type Holder = { [KEY]?: Runtime };

function storeOptions(config: Config) {
  return { databaseUrl: config.databaseUrl, dataDir: config.dataDir, statementTimeoutMs: config.statementTimeoutMs };
}

export function getRuntime(): Runtime {
  const g = globalThis as Holder;
  if (!g[KEY]) {
    const config = getConfig();
    const store = openStore(storeOptions(config));
    // A failed open is retried on the next request rather than remembered forever.
    store.catch(() => {
      if (g[KEY]?.store === store) g[KEY].store = openStore(storeOptions(config));
    });
    g[KEY] = { config, store, kafka: createKafkaProbe(config.kafka), workers: null, ...createReadSide(config) };
  }
  return g[KEY];
}

/** Starts the tap and lag sampler in this process when FLOWTAP_TAP=on; stops them on SIGTERM/SIGINT. */
export async function startBackgroundWork(): Promise<void> {
  const rt = getRuntime();
  if (!rt.config.tapEnabled || rt.workers) return;
  const store = await rt.store;
  rt.workers = await startWorkers(rt.config, store);
  const shutdown = (signal: NodeJS.Signals) => {
    console.log(`flowtap: ${signal}, stopping the tap`);
    const workers = rt.workers;
    rt.workers = null;
    void (workers ? workers.stop() : Promise.resolve())
      .catch((err: unknown) => console.error("flowtap: tap stop failed", err))
      .finally(() => process.exit(0));
  };
  process.once("SIGTERM", shutdown);
  process.once("SIGINT", shutdown);
}
