import "server-only";
// Settles replays left "pending": the process died (or lost the broker's acknowledgement)
// between claiming a record and recording the produce. The produce may or may not have
// happened, so it is not repeated blindly: the target partition is scanned from the end
// offset it had at claim time (target_floor) for the replay's x-flowtap-replay-id header.
// - Found: the replay happened, and the ledger records where.
// - Scanned to the end, not found: it never reached Kafka; failed, safe to retry.
// - The copy may have been removed (the log start passed the floor, or the target is
//   compacted): unknown; a new replay of that record needs force.
// - The target topic was deleted: failed, with that reason.
// Scans keep only records carrying a pending replay id, and go in slices (records/bytes per
// partition, and a time limit per call); an unfinished claim keeps its place (the floor moves
// to where the slice stopped) and stays pending, which blocks only its own record.
import type { Store } from "../db/client";
import type { KafkaSettings } from "../kafka/client";
import { describeTargets, type TopicState } from "../kafka/target-state";
import { scanKey, scanPartitions, type ScanRange } from "../kafka/scan-partitions";
import { advanceFloors, pendingReplays, settleReplayed, settleWithError, type LedgerRow } from "./ledger";
import { REPLAY_ID } from "./replay-headers";

/**
 * A claim is stale (its producer is done) only after the replay producer's whole retry budget,
 * replayRetryBudgetMs() in kafka/produce.ts: 408,275 ms (6.8 min). 8 min leaves a minute and more
 * for a slow store between claim and send. tests/unit/replay-limits.test.ts keeps it above.
 */
export const STALE_AFTER_MS = 8 * 60_000;

export interface ReconcileBudget {
  /** Records examined per target partition per call. */
  maxRecords: number;
  /** Bytes examined per target partition per call. */
  maxBytes: number;
  /** The scan of one call, group join included. */
  timeoutMs: number;
}

export const DEFAULT_RECONCILE_BUDGET: ReconcileBudget = { maxRecords: 200_000, maxBytes: 256 * 1024 * 1024, timeoutMs: 10_000 };

export interface ReconcileResult {
  replayed: number;
  failed: number;
  unknown: number;
  /** Not settled in this call: they stay pending and are picked up again. */
  pending: number;
}

function headerText(headers: KafkaHeaders, name: string): string | null {
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() !== name) continue;
    const one = Array.isArray(v) ? v[v.length - 1] : v;
    if (one === null || one === undefined) return null;
    return typeof one === "string" ? one : Buffer.from(one).toString("utf8");
  }
  return null;
}
type KafkaHeaders = Record<string, Buffer | string | (Buffer | string)[] | undefined>;

export async function reconcileRows(store: Store, kafka: KafkaSettings, rows: LedgerRow[], budget: Partial<ReconcileBudget> = {}): Promise<ReconcileResult> {
  const b = { ...DEFAULT_RECONCILE_BUDGET, ...budget };
  const replayed: Array<{ replayId: string; targetOffset: string }> = [];
  const failed: Array<{ replayId: string; error: string }> = [];
  const unknown: Array<{ replayId: string; error: string }> = [];
  const floors: Array<{ replayId: string; floor: string }> = [];
  const located = rows.filter((r) => r.target_topic !== null && r.target_partition !== null && r.target_floor !== null);
  for (const r of rows) if (!located.includes(r)) failed.push({ replayId: r.replay_id, error: "interrupted before a target was chosen; nothing was sent" });

  const topics = located.length ? await describeTargets(kafka, [...new Set(located.map((r) => r.target_topic!))]) : new Map<string, TopicState>();
  const scans = new Map<string, ScanRange & { claims: LedgerRow[]; low: bigint; compacted: boolean }>();
  for (const r of located) {
    const t = topics.get(r.target_topic!)!;
    const where = `${r.target_topic}/${r.target_partition}`;
    if (t.gone) {
      failed.push({ replayId: r.replay_id, error: `interrupted; the target topic ${r.target_topic} was deleted, and a copy, if one was written, with it` });
      continue;
    }
    const low = t.low.get(r.target_partition!);
    const high = t.high.get(r.target_partition!);
    const floor = BigInt(r.target_floor!);
    if (low === undefined || high === undefined || floor > high) {
      failed.push({ replayId: r.replay_id, error: `interrupted; ${where} ends before the claim's floor ${floor}: the topic was deleted and created again, and a copy, if one was written, went with it` });
      continue;
    }
    const k = scanKey(r.target_topic!, r.target_partition!);
    const from = floor > low ? floor : low;
    const cur = scans.get(k);
    if (cur) {
      cur.claims.push(r);
      if (from < cur.from) cur.from = from;
    } else scans.set(k, { topic: r.target_topic!, partition: r.target_partition!, from, to: high, claims: [r], low, compacted: t.compacted });
  }

  // Only records carrying a pending replay id are kept.
  const pendingIds = new Set([...scans.values()].flatMap((s) => s.claims.map((c) => c.replay_id)));
  const found = new Map<string, string>();
  const ends = scans.size
    ? await scanPartitions(kafka, [...scans.values()].map(({ topic, partition, from, to }) => ({ topic, partition, from, to })), (_t, _p, m) => {
        const id = headerText((m.headers ?? {}) as KafkaHeaders, REPLAY_ID);
        if (id && pendingIds.has(id)) found.set(id, m.offset);
      }, b)
    : new Map();

  let pending = 0;
  for (const [k, s] of scans) {
    const end = ends.get(k) ?? { next: s.from, complete: false };
    for (const c of s.claims) {
      const floor = BigInt(c.target_floor!);
      const where = `${s.topic}/${s.partition}`;
      if (found.has(c.replay_id)) replayed.push({ replayId: c.replay_id, targetOffset: found.get(c.replay_id)! });
      else if (floor < s.low) unknown.push({ replayId: c.replay_id, error: `interrupted; the log start of ${where} (${s.low}) passed the claim's floor (${floor}): a copy may have been removed by retention; replay again only with force` });
      else if (end.complete && s.compacted) unknown.push({ replayId: c.replay_id, error: `interrupted; not found on ${where} from offset ${floor}, but the topic is compacted and a copy may have been compacted away; replay again only with force` });
      else if (end.complete) failed.push({ replayId: c.replay_id, error: `interrupted; not found on ${where} from offset ${floor}, so it was not sent; safe to retry` });
      else {
        pending++;
        if (end.next > floor) floors.push({ replayId: c.replay_id, floor: end.next.toString() });
      }
    }
  }
  await settleReplayed(store, replayed);
  await settleWithError(store, "failed", failed);
  await settleWithError(store, "unknown", unknown);
  await advanceFloors(store, floors);
  return { replayed: replayed.length, failed: failed.length, unknown: unknown.length, pending };
}

/** Reconciles (within the budget) every replay pending for longer than `olderThanMs`. */
export async function reconcilePending(store: Store, kafka: KafkaSettings, olderThanMs: number, budget: Partial<ReconcileBudget> = {}): Promise<ReconcileResult> {
  return reconcileRows(store, kafka, await pendingReplays(store, new Date(Date.now() - olderThanMs)), budget);
}
