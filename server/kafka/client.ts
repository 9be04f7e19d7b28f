import "server-only";
// The only module family that imports kafkajs (in maintenance mode; a KafkaJS-compatible
// client can replace it here without touching the domain folders).
import { Kafka, logLevel, type KafkaConfig, type SASLOptions } from "kafkajs";
import type { Config } from "../config";

export type KafkaSettings = Config["kafka"];

export interface ClientOptions {
  clientId?: string;
  /** Connection and request timeouts stay short where an answer is needed quickly (health). */
  fast?: boolean;
}

const REPEAT_QUIET_MS = 60_000;
const lastPrinted = new Map<string, number>();

// kafkajs logs every retry of an unreachable broker: print each distinct line once a minute.
function logCreator() {
  return ({ level, log }: { level: number; log: { message: string; [k: string]: unknown } }) => {
    if (level > logLevel.WARN) return;
    const line = `[kafka] ${log.message}${log.error ? `: ${String(log.error)}` : ""}`;
    // "Restarting the consumer in 7744.5ms" and the like differ only in numbers.
    const key = line.replace(/\d+(\.\d+)?/g, "#");
    const now = Date.now();
    if (now - (lastPrinted.get(key) ?? 0) < REPEAT_QUIET_MS) return;
    if (lastPrinted.size > 500) lastPrinted.clear();
    lastPrinted.set(key, now);
    console.error(line);
  };
}

export function createKafka(settings: KafkaSettings, opts: ClientOptions = {}): Kafka {
  const cfg: KafkaConfig = {
    clientId: opts.clientId ?? settings.clientId,
    brokers: settings.brokers,
    ssl: settings.ssl,
    logLevel: logLevel.WARN,
    logCreator,
    connectionTimeout: opts.fast ? 2000 : 5000,
    requestTimeout: opts.fast ? 4000 : 30000,
    retry: opts.fast ? { retries: 0 } : { retries: 8, initialRetryTime: 300, maxRetryTime: 10_000 },
  };
  if (settings.sasl) cfg.sasl = settings.sasl as SASLOptions;
  return new Kafka(cfg);
}
