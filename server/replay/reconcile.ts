import "server-only";
// Settles replays left "pending": the process died (or lost the broker's acknowledgement)
// between claiming a record and recording the produce. The produce may or may not have
// happened, so it is not repeated blindly: the target partition is read from the end
// offset it had at claim time (target_floor) to its end now, looking for the replay's
// x-flowtap-replay-id header. Found: the replay happened, and the ledger records where.
// Not found: it never reached Kafka, so it is marked failed and may be retried.
import type { Store } from "../db/client";
import type { KafkaSettings } from "../kafka/client";
import { readRanges } from "../kafka/read-records";
import { pendingReplays, settleFailed, settleReplayed, type LedgerRow } from "./ledger";
import { REPLAY_ID } from "./replay-headers";

export interface ReconcileResult {
  replayed: number;
  failed: number;
}

function headerText(headers: Record<string, unknown>, name: string): string | null {
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() !== name) continue;
    const one = Array.isArray(v) ? v[v.length - 1] : v;
    if (one === null || one === undefined) return null;
    return typeof one === "string" ? one : Buffer.from(one as Uint8Array).toString("utf8");
  }
  return null;
}

export async function reconcileRows(store: Store, kafka: KafkaSettings, rows: LedgerRow[]): Promise<ReconcileResult> {
  if (rows.length === 0) return { replayed: 0, failed: 0 };
  const ranges = new Map<string, { topic: string; partition: number; from: bigint }>();
  const unknownTarget: LedgerRow[] = [];
  for (const r of rows) {
    if (r.target_topic === null || r.target_partition === null || r.target_floor === null) {
      unknownTarget.push(r);
      continue;
    }
    const k = `${r.target_topic}/${r.target_partition}`;
    const floor = BigInt(r.target_floor);
    const cur = ranges.get(k);
    if (!cur || floor < cur.from) ranges.set(k, { topic: r.target_topic, partition: r.target_partition, from: floor });
  }
  const found = await readRanges(
    kafka,
    [...ranges.values()].map((r) => ({ topic: r.topic, partition: r.partition, from: r.from.toString(), to: (2n ** 62n).toString() })),
    60_000,
  );
  const offsetById = new Map<string, string>();
  for (const rec of found.values()) {
    const id = headerText(rec.headers, REPLAY_ID);
    if (id) offsetById.set(id, rec.offset);
  }
  const done = rows.filter((r) => offsetById.has(r.replay_id)).map((r) => ({ replayId: r.replay_id, targetOffset: offsetById.get(r.replay_id)! }));
  const failed = rows
    .filter((r) => !offsetById.has(r.replay_id))
    .map((r) => ({
      replayId: r.replay_id,
      error: unknownTarget.includes(r)
        ? "interrupted before a target was chosen; nothing was sent"
        : `interrupted; not found on ${r.target_topic}/${r.target_partition} from offset ${r.target_floor}, so it was not sent; safe to retry`,
    }));
  await settleReplayed(store, done);
  await settleFailed(store, failed);
  return { replayed: done.length, failed: failed.length };
}

/** Reconciles every replay pending for longer than `olderThanMs`. */
export async function reconcilePending(store: Store, kafka: KafkaSettings, olderThanMs: number): Promise<ReconcileResult> {
  return reconcileRows(store, kafka, await pendingReplays(store, new Date(Date.now() - olderThanMs)));
}
