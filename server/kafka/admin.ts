import "server-only";
// Admin calls the domain folders need, behind plain functions.
import type { Admin } from "kafkajs";
import { createKafka, type KafkaSettings } from "./client";

export interface KafkaAdmin {
  listTopics(): Promise<string[]>;
  /** Resolves with the broker addresses when the cluster answers. */
  describeCluster(): Promise<{ brokers: string[]; controller: number | null }>;
  /**
   * Records waiting for a group on the given partitions: end offset minus committed offset
   * (from the log start where the group never committed). Topics that are gone count 0.
   */
  pendingRecords(groupId: string, partitions: Array<{ topic: string; partition: number }>): Promise<number>;
  close(): Promise<void>;
}

/** A lazily connected admin client that reconnects after a failure. */
export function createAdmin(settings: KafkaSettings, opts: { fast?: boolean } = {}): KafkaAdmin {
  const kafka = createKafka(settings, { clientId: `${settings.clientId}-admin`, fast: opts.fast });
  let admin: Admin | null = null;
  let connecting: Promise<Admin> | null = null;

  const get = async (): Promise<Admin> => {
    if (admin) return admin;
    connecting ??= (async () => {
      const a = kafka.admin({ retry: opts.fast ? { retries: 0 } : { retries: 5 } });
      try {
        await a.connect();
      } catch (err) {
        connecting = null;
        await a.disconnect().catch(() => {});
        throw err;
      }
      admin = a;
      return a;
    })();
    return connecting;
  };

  const withAdmin = async <T>(fn: (a: Admin) => Promise<T>): Promise<T> => {
    const a = await get();
    try {
      return await fn(a);
    } catch (err) {
      // Drop the client: the next call starts from a fresh connection.
      admin = null;
      connecting = null;
      await a.disconnect().catch(() => {});
      throw err;
    }
  };

  return {
    listTopics: () => withAdmin((a) => a.listTopics()),
    describeCluster: () =>
      withAdmin(async (a) => {
        const c = await a.describeCluster();
        return { brokers: c.brokers.map((b) => `${b.host}:${b.port}`), controller: c.controller ?? null };
      }),
    pendingRecords: (groupId, partitions) =>
      withAdmin(async (a) => {
        const topics = [...new Set(partitions.map((p) => p.topic))];
        if (topics.length === 0) return 0;
        const wanted = new Set(partitions.map((p) => `${p.topic}\u0000${p.partition}`));
        const committed = new Map<string, bigint>();
        for (const t of await a.fetchOffsets({ groupId, topics })) {
          for (const p of t.partitions) committed.set(`${t.topic}\u0000${p.partition}`, BigInt(p.offset));
        }
        let pending = 0n;
        for (const topic of topics) {
          const ends = await a.fetchTopicOffsets(topic).catch(() => []);
          for (const e of ends) {
            const k = `${topic}\u0000${e.partition}`;
            if (!wanted.has(k)) continue;
            const c = committed.get(k) ?? -1n;
            const from = c < 0n ? BigInt(e.low) : c;
            if (BigInt(e.high) > from) pending += BigInt(e.high) - from;
          }
        }
        return Number(pending);
      }),
    close: async () => {
      const a = admin;
      admin = null;
      connecting = null;
      if (a) await a.disconnect();
    },
  };
}
