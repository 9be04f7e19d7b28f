import "server-only";
// Claiming and sending planned replays, one produce request at a time. Each request keeps
// every partition's batch under the target topic's max.message.bytes (produce-split.ts), and
// each is claimed just before it is sent, so a claim is stale exactly when its own send's
// retry budget is spent (reconcile.ts STALE_AFTER_MS), however many requests a chunk takes.
import type { Store } from "../db/client";
import type { KafkaSettings } from "../kafka/client";
import type { OutRecord, ReplayProducer } from "../kafka/produce";
import { splitForBatchLimit } from "../kafka/produce-split";
import { claimReplays, latestReplays, settleReplayed, type Claim, type LedgerRow } from "./ledger";
import { reconcileRows } from "./reconcile";
import type { RecordRef, ReplayResult, ReplayStatus } from "./replay-records";

export interface Planned {
  ref: RecordRef;
  claim: Claim;
  out: OutRecord;
}

const refKey = (r: RecordRef) => `${r.topic}/${r.partition}/${r.offset}`;

/** The answer for a record another attempt holds (or held) in the ledger. */
export function lostAnswer(ref: RecordRef, row: LedgerRow | undefined): ReplayResult {
  const base = { ...ref, targetTopic: row?.target_topic ?? null, targetPartition: row?.target_partition ?? null, targetOffset: row?.target_offset ?? null, replayId: row?.replay_id ?? null };
  if (row?.status === "unknown") return { ...base, status: "unknown", error: `an earlier replay could not be confirmed (${row.error ?? "no reason recorded"}); replay again only with force` };
  if (row?.status === "pending") return { ...base, status: "already-replayed", error: "a replay of this record is in progress" };
  return { ...base, status: "already-replayed" };
}

export async function claimAndSend(
  store: Store,
  kafka: KafkaSettings,
  producer: ReplayProducer,
  planned: Planned[],
  limits: Map<string, number>,
  opts: { force: boolean; actor: string },
  results: Map<string, ReplayResult>,
): Promise<void> {
  const answer = (p: Planned, status: ReplayStatus, targetOffset: string | null, error?: string) =>
    results.set(refKey(p.ref), { ...p.ref, status, targetTopic: p.out.topic, targetPartition: p.out.partition, targetOffset, replayId: p.claim.replayId, ...(error ? { error } : {}) });
  const sends = splitForBatchLimit(planned.map((p) => p.out), (topic) => limits.get(topic)!);
  for (let s = 0; s < sends.length; s++) {
    const part = sends[s]!.map((i) => planned[i]!);
    const won = await claimReplays(store, part.map((p) => p.claim), opts);
    const mine = part.filter((p) => won.has(p.claim.replayId));
    const lost = part.filter((p) => !won.has(p.claim.replayId));
    const ledger = await latestReplays(store, lost.map((p) => p.ref));
    for (const p of lost) results.set(refKey(p.ref), lostAnswer(p.ref, ledger.get(refKey(p.ref))));
    if (mine.length === 0) continue;
    let offsets: string[];
    try {
      offsets = await producer.send(mine.map((p) => p.out));
    } catch (err) {
      await settleAfterFailedSend(store, kafka, mine, err instanceof Error ? err.message : String(err), answer);
      // The broker refuses or is gone: the rest of this request is not claimed, not sent.
      for (const later of sends.slice(s + 1).flat()) {
        const p = planned[later]!;
        results.set(refKey(p.ref), { ...p.ref, status: "failed", targetTopic: p.out.topic, targetPartition: p.out.partition, targetOffset: null, replayId: null, error: "not sent: an earlier send of this request failed" });
      }
      return;
    }
    await settleReplayed(store, mine.map((p, i) => ({ replayId: p.claim.replayId, targetOffset: offsets[i]! })));
    mine.forEach((p, i) => answer(p, "replayed", offsets[i]!));
  }
}

/** Did the broker write them? The producer gave up, so the target partitions can tell. */
async function settleAfterFailedSend(
  store: Store,
  kafka: KafkaSettings,
  mine: Planned[],
  message: string,
  answer: (p: Planned, status: ReplayStatus, targetOffset: string | null, error?: string) => void,
): Promise<void> {
  try {
    const rows = (await latestReplays(store, mine.map((p) => p.ref))).values();
    await reconcileRows(store, kafka, [...rows].filter((r) => r.status === "pending"));
  } catch {
    // Kafka is gone altogether: the claims stay pending and a later replay call reconciles them.
  }
  const after = await latestReplays(store, mine.map((p) => p.ref));
  for (const p of mine) {
    const row = after.get(refKey(p.ref));
    const own = row?.replay_id === p.claim.replayId;
    if (own && row.status === "replayed") answer(p, "replayed", row.target_offset);
    else if (own && row.status === "unknown") answer(p, "unknown", null, `send failed: ${message}; ${row.error ?? ""}`);
    else answer(p, "failed", null, `send failed: ${message}`);
  }
}
