import "server-only";
// Answers "can we reach Kafka?" within a few seconds, at most one probe in flight,
// and reuses a recent answer so a polling UI does not hammer the brokers.
import { createAdmin } from "./admin";
import type { KafkaSettings } from "./client";

export interface KafkaHealth {
  ok: boolean;
  brokers: string[];
  error?: string;
  checkedAt: string;
}

const FRESH_MS = 2_000;
const TIMEOUT_MS = 5_000;

export function createKafkaProbe(settings: KafkaSettings): { check(): Promise<KafkaHealth>; close(): Promise<void> } {
  const admin = createAdmin(settings, { fast: true });
  let last: KafkaHealth | null = null;
  let inFlight: Promise<KafkaHealth> | null = null;

  const probe = async (): Promise<KafkaHealth> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer from ${settings.brokers.join(",")} within ${TIMEOUT_MS / 1000} s`)), TIMEOUT_MS);
    });
    try {
      const c = await Promise.race([admin.describeCluster(), timeout]);
      return { ok: true, brokers: c.brokers, checkedAt: new Date().toISOString() };
    } catch (err) {
      return {
        ok: false,
        brokers: settings.brokers,
        error: err instanceof Error ? err.message : String(err),
        checkedAt: new Date().toISOString(),
      };
    } finally {
      clearTimeout(timer);
    }
  };

  return {
    check: async () => {
      if (last && Date.now() - Date.parse(last.checkedAt) < FRESH_MS) return last;
      inFlight ??= probe().then((h) => {
        last = h;
        inFlight = null;
        return h;
      });
      return inFlight;
    },
    close: () => admin.close(),
  };
}
