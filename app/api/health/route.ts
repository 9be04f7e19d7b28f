import { getRuntime } from "@/server/runtime";
import { json } from "@/server/http/respond";
import { readTapStatus } from "@/server/tap/tap-status";

// Kafka down still answers 200: the index keeps serving reads. The store down is a 503.
export async function GET(): Promise<Response> {
  const rt = getRuntime();
  const kafkaCheck = rt.kafka.check();
  let db: { ok: boolean; kind: string; error?: string };
  let tap: Awaited<ReturnType<typeof readTapStatus>> | null = null;
  const kind = rt.config.databaseUrl ? "postgres" : "pglite";
  try {
    const store = await rt.store;
    await store.ping();
    tap = await readTapStatus(store);
    db = { ok: true, kind };
  } catch (err) {
    db = { ok: false, kind, error: err instanceof Error ? err.message : String(err) };
  }
  const kafka = await kafkaCheck;
  const body = {
    ok: kafka.ok && db.ok,
    kafka,
    db,
    tap: tap ?? { running: false, instances: 0, partitions: 0, indexed: 0, lastIndexedAt: null, totalIndexed: 0, indexedSince: null, errors: [] },
  };
  return json(body, { status: db.ok ? 200 : 503 });
}
