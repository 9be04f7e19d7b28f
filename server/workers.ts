import "server-only";
// The background workers of one process: the tap and, beside it, the lag sampler.
import type { Config } from "./config";
import type { Store } from "./db/client";
import { startLagSampler, type LagSampler } from "./lag/sampler";
import { startTap, type Tap } from "./tap/tap";

export interface Workers {
  tap: Tap;
  sampler: LagSampler | null;
  stop(): Promise<void>;
}

export async function startWorkers(config: Config, store: Store, log: (line: string) => void = console.log): Promise<Workers> {
  const tap = await startTap(config, store, log);
  const sampler = config.lagEnabled ? startLagSampler(config, store, log) : null;
  return {
    tap,
    sampler,
    stop: async () => {
      await Promise.all([tap.stop(), sampler?.stop()]);
    },
  };
}
