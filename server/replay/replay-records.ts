import "server-only";
/**
 * Replays dead-letter records to their source topic, exactly once per record unless forced.
 *
 * Order of work, and why:
 * 1. Look the records up in the index: unknown or non-dead-letter records refuse the whole
 *    request (nothing half-done).
 * 2. Read the original bytes from Kafka (the index holds only a display copy).
 * 3. Choose each target: the source topic; the original partition when known and it exists,
 *    else the partition the key hashes to — chosen here, before sending, so the ledger knows.
 * 4. Claim in the ledger (one winner per record and attempt), recording the target
 *    partition's end offset. Losers answer "already-replayed" and send nothing.
 * 5. Send the claimed records with x-flowtap-replay-{id,of,count}; settle the ledger.
 *    If the send fails in a way that leaves it unknown whether the broker wrote them, the
 *    claims are reconciled by reading the target partitions (reconcile.ts), never re-sent.
 * Every call is audited, with its outcome.
 */
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Store } from "../db/client";
import type { KafkaSettings } from "../kafka/client";
import { createReplayProducer, type OutRecord, type ReplayProducer } from "../kafka/produce";
import { readRanges } from "../kafka/read-records";
import { claimReplays, latestReplays, settleReplayed, writeAudit, type Claim, type LedgerRow } from "./ledger";
import { reconcilePending, reconcileRows } from "./reconcile";
import { previousReplayCount, replayHeaders } from "./replay-headers";

export interface RecordRef {
  topic: string;
  partition: number;
  offset: string;
}

export type ReplayStatus = "replayed" | "already-replayed" | "failed" | "dry-run";

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
  /** A claim still pending after this long was interrupted (a crash, a lost acknowledgement) and is reconciled. */
  staleAfterMs?: number;
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

function fromLedger(ref: RecordRef, row: LedgerRow | undefined, status: ReplayStatus, error?: string): ReplayResult {
  return {
    ...ref,
    status,
    targetTopic: row?.target_topic ?? null,
    targetPartition: row?.target_partition ?? null,
    targetOffset: row?.target_offset ?? null,
    replayId: row?.replay_id ?? null,
    ...(error ? { error } : {}),
  };
}

async function readOriginals(kafka: KafkaSettings, refs: RecordRef[]) {
  const ranges = new Map<string, { topic: string; partition: number; from: bigint; to: bigint }>();
  for (const r of refs) {
    const k = `${r.topic}/${r.partition}`;
    const o = BigInt(r.offset);
    const cur = ranges.get(k);
    ranges.set(k, cur ? { ...cur, from: o < cur.from ? o : cur.from, to: o > cur.to ? o : cur.to } : { topic: r.topic, partition: r.partition, from: o, to: o });
  }
  return readRanges(kafka, [...ranges.values()].map((r) => ({ ...r, from: r.from.toString(), to: r.to.toString() })));
}

/** Plans, claims, sends and settles. Results come back in request order. */
export async function replayRecords(store: Store, kafka: KafkaSettings, refs: RecordRef[], opts: ReplayOptions): Promise<ReplayResult[]> {
  const unique = [...new Map(refs.map((r) => [refKey(r), r])).values()];
  const rows = await lookUp(store, unique);
  const results = new Map<string, ReplayResult>();
  const fail = (ref: RecordRef, error: string, target: { topic: string | null; partition: number | null } = { topic: null, partition: null }) =>
    results.set(refKey(ref), { ...ref, status: "failed", targetTopic: target.topic, targetPartition: target.partition, targetOffset: null, replayId: null, error });

  let producer: ReplayProducer | null = null;
  try {
    // Settle what an earlier, interrupted replay left pending before deciding anything new.
    if (!opts.dryRun) await reconcilePending(store, kafka, opts.staleAfterMs ?? 60_000);
    const originals = await readOriginals(kafka, unique);
    producer = await createReplayProducer(kafka);
    const partitionCounts = new Map<string, number | null>();
    const floors = new Map<string, Map<number, string>>();
    const planned: Array<{ ref: RecordRef; claim: Claim; out: OutRecord }> = [];
    for (const ref of unique) {
      const rec = originals.get(refKey(ref));
      const row = rows.get(refKey(ref))!;
      if (!rec) {
        fail(ref, "the record is no longer in Kafka (deleted by retention or compaction)");
        continue;
      }
      const target = row.source_topic;
      if (!target) {
        fail(ref, "the source topic is unknown: no origin headers, and the topic name does not tell");
        continue;
      }
      if (!partitionCounts.has(target)) partitionCounts.set(target, await producer.partitions(target));
      const count = partitionCounts.get(target) ?? null;
      if (count === null) {
        fail(ref, `the source topic ${target} does not exist`, { topic: target, partition: null });
        continue;
      }
      const cycle = previousReplayCount(rec.headers) + 1;
      if (cycle > opts.maxCycles) {
        fail(ref, `replayed ${cycle - 1} times already and failed again: the cycle limit (${opts.maxCycles}) stops it`, { topic: target, partition: null });
        continue;
      }
      const partition = row.source_partition !== null && row.source_partition < count ? row.source_partition : producer.partitionFor(target, rec.key ? Buffer.from(rec.key) : null, count);
      if (!floors.has(target)) floors.set(target, await producer.endOffsets(target));
      const replayId = randomUUID();
      planned.push({
        ref,
        claim: { replayId, topic: ref.topic, partition: ref.partition, offset: ref.offset, targetTopic: target, targetPartition: partition, targetFloor: floors.get(target)!.get(partition) ?? "0", cycle },
        out: {
          topic: target,
          partition,
          key: rec.key ? Buffer.from(rec.key) : null,
          value: rec.value ? Buffer.from(rec.value) : null,
          headers: replayHeaders(rec.headers, { id: replayId, of: refKey(ref), count: cycle }),
        },
      });
    }

    if (opts.dryRun) {
      for (const p of planned) results.set(refKey(p.ref), { ...p.ref, status: "dry-run", targetTopic: p.out.topic, targetPartition: p.out.partition, targetOffset: null, replayId: null });
    } else {
      const won = await claimReplays(store, planned.map((p) => p.claim), { force: opts.force, actor: opts.actor });
      const mine = planned.filter((p) => won.has(p.claim.replayId));
      const lost = planned.filter((p) => !won.has(p.claim.replayId));
      const ledger = await latestReplays(store, lost.map((p) => p.ref));
      for (const p of lost) {
        const row = ledger.get(refKey(p.ref));
        results.set(refKey(p.ref), fromLedger(p.ref, row, "already-replayed", row?.status === "pending" ? "a replay of this record is in progress" : undefined));
      }
      await sendClaimed(store, kafka, producer, mine, results);
    }
  } catch (err) {
    // Kafka unreachable before anything was claimed: every record not yet answered failed, nothing was sent.
    const message = err instanceof Error ? err.message : String(err);
    for (const ref of unique) if (!results.has(refKey(ref))) fail(ref, `Kafka: ${message}`);
  } finally {
    await producer?.close();
  }

  const ordered = refs.map((r) => results.get(refKey(r))!);
  const count = (s: ReplayStatus) => ordered.filter((r) => r.status === s).length;
  await writeAudit(store, {
    actor: opts.actor,
    action: opts.dryRun ? "replay-dry-run" : opts.force ? "replay-forced" : "replay",
    outcome: count("failed") === 0 ? "ok" : count("failed") === ordered.length ? "failed" : "partial",
    detail: {
      requested: refs.length,
      replayed: count("replayed"),
      alreadyReplayed: count("already-replayed"),
      failed: count("failed"),
      results: ordered.map((r) => ({ record: refKey(r), status: r.status, target: r.targetTopic ? `${r.targetTopic}/${r.targetPartition}/${r.targetOffset ?? "?"}` : null, error: r.error })),
    },
  });
  return ordered;
}

async function sendClaimed(
  store: Store,
  kafka: KafkaSettings,
  producer: ReplayProducer,
  mine: Array<{ ref: RecordRef; claim: Claim; out: OutRecord }>,
  results: Map<string, ReplayResult>,
): Promise<void> {
  if (mine.length === 0) return;
  const answer = (p: (typeof mine)[number], status: ReplayStatus, targetOffset: string | null, error?: string) =>
    results.set(refKey(p.ref), {
      ...p.ref,
      status,
      targetTopic: p.out.topic,
      targetPartition: p.out.partition,
      targetOffset,
      replayId: p.claim.replayId,
      ...(error ? { error } : {}),
    });
  let offsets: string[];
  try {
    offsets = await producer.send(mine.map((p) => p.out));
  } catch (err) {
    // Did the broker write them? Find out from the target partitions instead of guessing.
    const message = err instanceof Error ? err.message : String(err);
    try {
      const rows = (await latestReplays(store, mine.map((p) => p.ref))).values();
      await reconcileRows(store, kafka, [...rows].filter((r) => r.status === "pending"));
    } catch {
      // Kafka is gone altogether: the claims stay pending and the next replay call reconciles them.
    }
    const after = await latestReplays(store, mine.map((p) => p.ref));
    for (const p of mine) {
      const row = after.get(refKey(p.ref));
      if (row?.replay_id === p.claim.replayId && row.status === "replayed") answer(p, "replayed", row.target_offset);
      else answer(p, "failed", null, `send failed: ${message}`);
    }
    return;
  }
  await settleReplayed(store, mine.map((p, i) => ({ replayId: p.claim.replayId, targetOffset: offsets[i]! })));
  mine.forEach((p, i) => answer(p, "replayed", offsets[i]!));
}
