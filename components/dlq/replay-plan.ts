// The pure side of replaying from the dead-letter pages: which records go in which request,
// what has been done so far, and how that reads. No React, no fetch: unit-tested as is.
import type { ReplayResult, ReplayStatus } from "@/server/replay/replay-records";
import { parseRecordKey, type RecordRef } from "./url-state";

/**
 * Records per POST /api/replays. The API takes up to 1,000 (MAX_REPLAY_RECORDS); half of that
 * keeps each request short, so progress moves and Cancel takes effect soon.
 */
export const REPLAY_CHUNK = 500;

/** The page size used to collect "every record matching this filter" (the API's maximum). */
export const COLLECT_PAGE = 200;

export type { RecordRef, ReplayResult, ReplayStatus };

const fmt = new Intl.NumberFormat("en-US");
export const n = (v: number) => fmt.format(v);
const plural = (v: number, one: string, many = `${one}s`) => `${n(v)} ${v === 1 ? one : many}`;

export const refKey = (r: RecordRef) => `${r.topic}/${r.partition}/${r.offset}`;

/** Selected record keys as references, in a stable order (by partition, then offset), duplicates dropped. */
export function refsFromKeys(keys: Iterable<string>): RecordRef[] {
  const byKey = new Map<string, RecordRef>();
  for (const k of keys) {
    const ref = parseRecordKey(k);
    if (ref) byKey.set(refKey(ref), ref);
  }
  return [...byKey.values()].sort(
    (a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition || (BigInt(a.offset) < BigInt(b.offset) ? -1 : BigInt(a.offset) > BigInt(b.offset) ? 1 : 0),
  );
}

/** Consecutive chunks of at most `size` items, in order. */
export function chunk<T>(items: readonly T[], size = REPLAY_CHUNK): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`chunk size must be a positive integer, got ${size}`);
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export interface Failure {
  key: string;
  error: string;
}

export interface Target {
  topic: string;
  partition: number | null;
  records: number;
}

/** A target topic of a dry run: records that would go there, and records refused there. */
export interface TargetTopic {
  topic: string;
  records: number;
  refused: number;
}

/** What a replay run has done so far. Immutable: each chunk's answer gives a new one. */
export interface Progress {
  dryRun: boolean;
  total: number;
  /** Records whose request was answered. */
  sent: number;
  replayed: number;
  alreadyReplayed: number;
  failed: number;
  /** Outside the replay targets: not sent (listed in failures, with the reason). */
  refused: number;
  /** An earlier attempt could not be confirmed: only force replays these. */
  unknown: number;
  /** Dry runs: records that would be sent. */
  wouldSend: number;
  failures: Failure[];
  /** Dry runs: where the records would go, in order of first appearance. */
  targets: Target[];
  /** Dry runs: each target topic, with what would go there and what is refused there. */
  topics: TargetTopic[];
}

export function startProgress(total: number, dryRun = false): Progress {
  return { dryRun, total, sent: 0, replayed: 0, alreadyReplayed: 0, failed: 0, refused: 0, unknown: 0, wouldSend: 0, failures: [], targets: [], topics: [] };
}

type ResultLike = Pick<ReplayResult, "topic" | "partition" | "offset" | "status" | "targetTopic" | "targetPartition"> & { error?: string };

/** Adds one chunk's results. */
export function addResults(p: Progress, results: readonly ResultLike[]): Progress {
  const next: Progress = { ...p, failures: [...p.failures], targets: p.targets.map((t) => ({ ...t })), topics: p.topics.map((t) => ({ ...t })) };
  const topic = (name: string) => {
    let t = next.topics.find((x) => x.topic === name);
    if (!t) next.topics.push((t = { topic: name, records: 0, refused: 0 }));
    return t;
  };
  for (const r of results) {
    next.sent++;
    if (r.status === "replayed") next.replayed++;
    else if (r.status === "already-replayed") next.alreadyReplayed++;
    else if (r.status === "failed" || r.status === "refused" || r.status === "unknown") {
      if (r.status === "failed") next.failed++;
      else if (r.status === "refused") {
        next.refused++;
        topic(r.targetTopic ?? "?").refused++;
      } else next.unknown++;
      next.failures.push({ key: refKey(r), error: r.error ?? "no reason given" });
    } else if (r.status === "dry-run") {
      next.wouldSend++;
      topic(r.targetTopic ?? "?").records++;
      const t = next.targets.find((x) => x.topic === r.targetTopic && x.partition === r.targetPartition);
      if (t) t.records++;
      else next.targets.push({ topic: r.targetTopic ?? "?", partition: r.targetPartition, records: 1 });
    }
  }
  return next;
}

/** ", 2 refused, 1 unknown": only what happened. */
const extra = (p: Progress) => `${p.refused ? `, ${n(p.refused)} refused` : ""}${p.unknown ? `, ${n(p.unknown)} unknown` : ""}`;

/** "1,000 / 4,200 sent: 990 replayed, 10 already replayed, 0 failed" */
export function progressText(p: Progress): string {
  const head = `${n(p.sent)} / ${n(p.total)} sent`;
  if (p.dryRun) return `${head} (dry run): ${n(p.wouldSend)} would be sent, ${n(p.failed)} would fail${extra(p)}`;
  return `${head}: ${n(p.replayed)} replayed, ${n(p.alreadyReplayed)} already replayed, ${n(p.failed)} failed${extra(p)}`;
}

/** The distinct target topics of a dry run, with counts, in order of first appearance. */
export function targetTopics(p: Progress): TargetTopic[] {
  return p.topics.map((t) => ({ ...t }));
}

/**
 * The question asked before any replay, from its dry run: how many records, what they are, and
 * every target topic with its count, so a planted header pointing somewhere odd shows up here.
 */
export function confirmTargetsText(what: string, p: Progress): string {
  const lines = [`Replay ${plural(p.wouldSend, "record")} (${what})? They would go to:`];
  for (const t of p.topics.filter((x) => x.records > 0)) lines.push(`  ${t.topic}: ${plural(t.records, "record")}`);
  const refused = p.topics.filter((x) => x.refused > 0);
  if (refused.length) {
    lines.push("", "Not sent, refused (outside the replay targets):");
    for (const t of refused) lines.push(`  ${t.topic}: ${plural(t.refused, "record")}`);
  }
  const cannot = p.failed + p.unknown;
  if (cannot) lines.push("", `${plural(cannot, "record")} cannot be replayed (see the dry run's list).`);
  lines.push("", `Records already replayed are skipped. Sent in requests of ${n(REPLAY_CHUNK)}.`);
  return lines.join("\n");
}

/** "would send 4 records to orders/0", one line per target. */
export function dryRunLines(p: Progress): string[] {
  return p.targets.map((t) => `would send ${plural(t.records, "record")} to ${t.topic}/${t.partition ?? "?"}`);
}

export type Ending = { kind: "done" } | { kind: "cancelled" } | { kind: "error"; error: string };

/** The one-line outcome of a finished run, cancelled or stopped by an error included. */
export function summaryText(p: Progress, ending: Ending = { kind: "done" }): string {
  const counts = p.dryRun
    ? `${n(p.wouldSend)} would be sent, ${n(p.failed)} would fail${extra(p)}`
    : `${n(p.replayed)} replayed, ${n(p.alreadyReplayed)} already replayed, ${n(p.failed)} failed${extra(p)}`;
  const what = p.dryRun ? "Dry run" : "Replay";
  const rest = p.total - p.sent;
  if (ending.kind === "cancelled") return `${what} cancelled after ${n(p.sent)} of ${plural(p.total, "record")}: ${counts}; ${n(rest)} not sent.`;
  if (ending.kind === "error") return `${what} stopped after ${n(p.sent)} of ${plural(p.total, "record")} (${ending.error}): ${counts}; ${n(rest)} not sent.`;
  return `${what} of ${plural(p.total, "record")} done: ${counts}.`;
}

export function confirmForceText(key: string, times: number): string {
  return `Record ${key} was already replayed${times > 1 ? ` ${n(times)} times` : ""}. Send it to its source topic again?`;
}

/** The HTTP error of a replay request, in words an operator can act on. */
export function replayErrorText(status: number, error: string): string {
  if (status === 401) return `sign in as an operator first (${error})`;
  if (status === 403) return `refused: your role cannot replay (${error})`;
  if (status === 0) return error;
  return `HTTP ${status}: ${error}`;
}

/** The dead-letter queries of `topic` (the query keys of use-dead-letters.ts), and no other: what a replay makes stale. */
export function isTopicQuery(topic: string) {
  return (q: { queryKey: readonly unknown[] }): boolean => {
    const [root, kind, arg] = q.queryKey;
    if (root !== "dlq") return false;
    if (kind === "messages" || kind === "topic") return arg === topic;
    // Record keys are "topic/partition/offset"; topic names hold no "/".
    if (kind === "record") return typeof arg === "string" && arg.startsWith(`${topic}/`);
    return false;
  };
}
