import "server-only";
/**
 * Replays dead-letter records to their source topic, exactly once per record unless forced.
 *
 * Order of work, and why:
 * 1. Look the records up in the index: unknown or non-dead-letter records refuse the whole
 *    request (nothing half-done).
 * 2. Read the original bytes from Kafka (the index holds only a display copy).
 * 3. Choose each target: the source topic, refused (status "refused", per record, nothing
 *    claimed) when it is outside the replay targets (targets.ts) unless the request names it in
 *    allowTargets; the original partition when known and it exists, else the partition the
 *    key hashes to — chosen here, before sending, so the ledger knows.
 * 4. Split into produce requests under each target's max.message.bytes; claim each request's
 *    records in the ledger (one winner per record and attempt), recording the target
 *    partition's end offset. Losers answer "already-replayed" (or "unknown") and send nothing.
 * 5. Send the claimed records with x-flowtap-replay-{id,of,count}; settle the ledger.
 *    If the send fails in a way that leaves it unknown whether the broker wrote them, the
 *    claims are reconciled by reading the target partitions (reconcile.ts), never re-sent.
 * Every call is audited, with its outcome.
 */
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Store } from "../db/client";
import type { KafkaSettings } from "../kafka/client";
import { createReplayProducer, type ReplayProducer } from "../kafka/produce";
import { BATCH_OVERHEAD, HEADROOM, recordSizeBound } from "../kafka/produce-split";
import { readOffsets } from "../kafka/read-records";
import { writeAudit } from "./ledger";
import { reconcilePending, STALE_AFTER_MS, type ReconcileBudget } from "./reconcile";
import { previousReplayCount, replayHeaders } from "./replay-headers";
import { claimAndSend, type Planned } from "./send-claimed";
import { targetRefusal, type ReplayTargets } from "./targets";

export interface RecordRef {
  topic: string;
  partition: number;
  offset: string;
}

/**
 * refused: the target is outside the replay targets (nothing claimed or sent);
 * unknown: an earlier attempt could not be confirmed, so only force replays it again.
 */
export type ReplayStatus = "replayed" | "already-replayed" | "failed" | "refused" | "unknown" | "dry-run";

export interface ReplayResult extends RecordRef {
  status: ReplayStatus;
  targetTopic: string | null;
  targetPartition: number | null;
  targetOffset: string | null;
  replayId: string | null;
  error?: string;
}

export interface ReplayOptions {
  actor: string;
  force: boolean;
  dryRun: boolean;
  maxCycles: number;
  /** Where replays may write (targets.ts). */
  targets: ReplayTargets;
  /** Target topics the operator named to replay to although they are outside `targets`. */
  allowTargets?: string[];
  /** A claim still pending after this long was interrupted (a crash, a lost acknowledgement) and is reconciled. */
  staleAfterMs?: number;
  /** The slice of that reconciliation in this call. */
  reconcile?: Partial<ReconcileBudget>;
}

export class ReplayInputError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const refKey = (r: RecordRef) => `${r.topic}/${r.partition}/${r.offset}`;

type DlqRow = { topic: string; partition: number; offset: string; is_dlq: boolean; source_topic: string | null; source_partition: number | null };

async function lookUp(store: Store, refs: RecordRef[]): Promise<Map<string, DlqRow>> {
  const rows = await store.rows<DlqRow>(sql`
    SELECT e.topic, e.partition, e."offset"::text AS "offset", e.is_dlq, e.dlq_source_topic AS source_topic,
           e.dlq_source_partition AS source_partition
    FROM events e JOIN json_to_recordset(${JSON.stringify(refs)}::json) AS x(topic text, partition int, "offset" bigint)
      ON e.topic = x.topic AND e.partition = x.partition AND e."offset" = x."offset"`);
  const byKey = new Map(rows.map((r) => [refKey(r), r]));
  const missing = refs.filter((r) => !byKey.has(refKey(r)));
  if (missing.length) throw new ReplayInputError(404, `not in the index: ${missing.slice(0, 5).map(refKey).join(", ")}${missing.length > 5 ? ` and ${missing.length - 5} more` : ""}`);
  const notDlq = rows.filter((r) => !r.is_dlq);
  if (notDlq.length) throw new ReplayInputError(422, `not on a dead-letter topic: ${notDlq.slice(0, 5).map(refKey).join(", ")}`);
  return byKey;
}

type Answer = (ref: RecordRef, status: "failed" | "refused", error: string, target?: { topic: string | null; partition: number | null }) => void;

/** Targets, partitions, claims and records to send; what cannot be replayed is answered at once. */
async function plan(kafka: KafkaSettings, producer: ReplayProducer, unique: RecordRef[], rows: Map<string, DlqRow>, opts: ReplayOptions, answer: Answer) {
  const originals = await readOffsets(kafka, unique);
  const partitionCounts = new Map<string, number | null>();
  const floors = new Map<string, Map<number, string>>();
  const limits = new Map<string, number>();
  const planned: Planned[] = [];
  for (const ref of unique) {
    const rec = originals.get(refKey(ref));
    const row = rows.get(refKey(ref))!;
    if (!rec) {
      answer(ref, "failed", "the record is no longer in Kafka (deleted by retention or compaction)");
      continue;
    }
    const target = row.source_topic;
    if (!target) {
      answer(ref, "failed", "the source topic is unknown: no origin headers, and the topic name does not tell");
      continue;
    }
    const refusal = targetRefusal(opts.targets, target, opts.allowTargets);
    if (refusal) {
      answer(ref, "refused", `refused: ${refusal}`, { topic: target, partition: null });
      continue;
    }
    if (!partitionCounts.has(target)) partitionCounts.set(target, await producer.partitions(target));
    const count = partitionCounts.get(target) ?? null;
    if (count === null) {
      answer(ref, "failed", `the source topic ${target} does not exist`, { topic: target, partition: null });
      continue;
    }
    const cycle = previousReplayCount(rec.headers) + 1;
    if (cycle > opts.maxCycles) {
      answer(ref, "failed", `replayed ${cycle - 1} times already and failed again: the cycle limit (${opts.maxCycles}) stops it`, { topic: target, partition: null });
      continue;
    }
    const partition = row.source_partition !== null && row.source_partition < count ? row.source_partition : producer.partitionFor(target, rec.key ? Buffer.from(rec.key) : null, count);
    if (!floors.has(target)) floors.set(target, await producer.endOffsets(target));
    if (!limits.has(target)) limits.set(target, await producer.maxMessageBytes(target));
    const replayId = randomUUID();
    const out = {
      topic: target,
      partition,
      key: rec.key ? Buffer.from(rec.key) : null,
      value: rec.value ? Buffer.from(rec.value) : null,
      headers: replayHeaders(rec.headers, { id: replayId, of: refKey(ref), count: cycle }),
    };
    const size = recordSizeBound(out);
    if (size > limits.get(target)! - HEADROOM - BATCH_OVERHEAD) {
      answer(ref, "failed", `the record (${size} bytes) is over ${target}'s max.message.bytes (${limits.get(target)})`, { topic: target, partition });
      continue;
    }
    const claim = { replayId, topic: ref.topic, partition: ref.partition, offset: ref.offset, targetTopic: target, targetPartition: partition, targetFloor: floors.get(target)!.get(partition) ?? "0", cycle };
    planned.push({ ref, claim, out });
  }
  return { planned, limits };
}

/** Plans, claims, sends and settles. Results come back in request order. */
export async function replayRecords(store: Store, kafka: KafkaSettings, refs: RecordRef[], opts: ReplayOptions): Promise<ReplayResult[]> {
  const unique = [...new Map(refs.map((r) => [refKey(r), r])).values()];
  const rows = await lookUp(store, unique);
  const results = new Map<string, ReplayResult>();
  const answer: Answer = (ref, status, error, target = { topic: null, partition: null }) =>
    results.set(refKey(ref), { ...ref, status, targetTopic: target.topic, targetPartition: target.partition, targetOffset: null, replayId: null, error });

  let producer: ReplayProducer | null = null;
  try {
    // Settle what an earlier, interrupted replay left pending, within a bounded slice. It never
    // stops this call: what stays unsettled stays pending and blocks only its own record.
    if (!opts.dryRun) {
      await reconcilePending(store, kafka, opts.staleAfterMs ?? STALE_AFTER_MS, opts.reconcile).catch((err: unknown) =>
        console.error(`[replay] reconciling pending replays: ${err instanceof Error ? err.message : String(err)}`),
      );
    }
    producer = await createReplayProducer(kafka);
    const { planned, limits } = await plan(kafka, producer, unique, rows, opts, answer);
    if (opts.dryRun) {
      for (const p of planned) results.set(refKey(p.ref), { ...p.ref, status: "dry-run", targetTopic: p.out.topic, targetPartition: p.out.partition, targetOffset: null, replayId: null });
    } else {
      await claimAndSend(store, kafka, producer, planned, limits, { force: opts.force, actor: opts.actor }, results);
    }
  } catch (err) {
    // Kafka unreachable before anything was claimed: every record not yet answered failed, nothing was sent.
    const message = err instanceof Error ? err.message : String(err);
    for (const ref of unique) if (!results.has(refKey(ref))) answer(ref, "failed", `Kafka: ${message}`);
  } finally {
    await producer?.close();
  }

  const ordered = refs.map((r) => results.get(refKey(r))!);
  const count = (s: ReplayStatus) => ordered.filter((r) => r.status === s).length;
  const notDone = count("failed") + count("refused") + count("unknown");
  await writeAudit(store, {
    actor: opts.actor,
    action: opts.dryRun ? "replay-dry-run" : opts.force ? "replay-forced" : "replay",
    outcome: notDone === 0 ? "ok" : notDone === ordered.length ? "failed" : "partial",
    detail: {
      requested: refs.length,
      replayed: count("replayed"),
      alreadyReplayed: count("already-replayed"),
      failed: count("failed"),
      refused: count("refused"),
      unknown: count("unknown"),
      ...(opts.allowTargets?.length ? { allowTargets: opts.allowTargets } : {}),
      results: ordered.map((r) => ({ record: refKey(r), status: r.status, target: r.targetTopic ? `${r.targetTopic}/${r.targetPartition}/${r.targetOffset ?? "?"}` : null, error: r.error })),
    },
  });
  return ordered;
}
