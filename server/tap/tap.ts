import "server-only";
/**
 * The tap: indexes every record of every matching topic by correlation ID.
 *
 * What it does: a consumer in group FLOWTAP_TAP_GROUP ("flowtap-tap") reads all topics
 * that match FLOWTAP_TOPICS_INCLUDE and not FLOWTAP_TOPICS_EXCLUDE, from the beginning for
 * partitions the group has never committed. Each partition batch is extracted (pure) and
 * written in statements of at most MAX_ROWS_PER_STATEMENT rows.
 *
 * When it runs: from instrumentation.ts inside the web server, or alone (`npm run tap`).
 * Several taps share partitions through the consumer group. Every FLOWTAP_TOPIC_REFRESH_S
 * it lists topics and restarts its consumer when the matching set changed (a regex
 * subscription would not see topics created later).
 *
 * What it guarantees: offsets are committed only after the batch is in the store. A crash
 * re-reads from the last commit and the (topic, partition, offset) key absorbs what was
 * already written. While the store is away the write is retried with backoff, heartbeats
 * keep the partitions assigned, and nothing is committed; it resumes where it stopped.
 * A record the store refuses for its data never stops a partition: it is stored reduced or
 * quarantined (write-records.ts) and the offset moves on. Heartbeats between chunks run
 * outside the retry, so a rebalance abandons the batch uncommitted and the consumer rejoins.
 * The tap measures its own partitions' backlog: records waiting and nothing indexed for
 * FLOWTAP_STALL_AFTER_S makes it "stalled", which health reports as not ok.
 * Memory is bounded by the fetch size (PostgreSQL: 8 MB per fetch, 1 MB per partition;
 * PGlite: 2 MB and 512 KB, with the JS heap's growth limited; see fetchLimits).
 * Retention (server/retention) runs beside it, hourly, and the flow-map pass (server/flowmap/pass.ts)
 * every second while events wait to be folded into the map.
 */
import { hostname } from "node:os";
import { setFlagsFromString } from "node:v8";
import { randomUUID } from "node:crypto";
import type { Config } from "../config";
import type { Store } from "../db/client";
import { describeStoreError } from "../db/errors";
import { createDecoder, type RegistryUrlState } from "../decode";
import { extractRecord, type ExtractedRecord } from "../extract";
import { createAdmin, type KafkaAdmin } from "../kafka/admin";
import { startBatchConsumer, type BatchConsumer, type PartitionBatch } from "../kafka/consume";
import { startRetention } from "../retention/prune-index";
import { startFlowmapPasses } from "../flowmap/pass";
import { reconcileFlowmapSettings } from "../flowmap/settings";
import { recordHeartbeat, type TapState } from "./tap-status";
import { MAX_ROWS_PER_STATEMENT } from "./write-events";
import { writeRecords, type WriteOutcome } from "./write-records";

export interface Tap {
  state(): TapState;
  /** Each Schema Registry URL's state; null without SCHEMA_REGISTRY_URL. */
  registry(): RegistryUrlState[] | null;
  stop(): Promise<void>;
}

const HEARTBEAT_MS = 5_000;
/** How often the tap asks Kafka how many records wait on its partitions (two admin calls per topic). */
const BACKLOG_EVERY_MS = 10_000;
const MAX_BACKOFF_MS = 5_000;
/**
 * Records waiting in Kafka past which the tap counts as catching up, and the flow map's pass yields
 * to it. Live traffic leaves a few hundred waiting between fetches; a backlog leaves far more.
 */
const CATCHING_UP_RECORDS = 10_000;
/** stop() waits this long for a topic refresh in flight (it may be retrying an absent broker). */
const STOP_WAIT_MS = 5_000;

/**
 * PGlite runs its queries one at a time inside this process, at a fraction of PostgreSQL's
 * rate: more batches in flight, or a fetch that holds seconds of work, would only hold memory.
 */
function fetchLimits(kind: Store["kind"]) {
  return kind === "pglite"
    ? { concurrency: 1, maxBytes: 2 * 1024 * 1024, maxBytesPerPartition: 512 * 1024 }
    : { concurrency: 3, maxBytes: 8 * 1024 * 1024, maxBytesPerPartition: 1024 * 1024 };
}

/**
 * With PGlite the process also holds PostgreSQL's WASM memory, which never shrinks, so the JS
 * heap must stay small. Under a backlog V8 lets the heap grow to about four times what is live
 * before collecting (≈ 180 MB for ≈ 40 MB live); this caps the growth at twice. Measured at
 * 1,000,000 records: peak RSS 470 → 364 MB, for about 15 % more CPU in the tap. A PostgreSQL
 * tap keeps V8's default, since its RSS is well under the limit and the CPU is the rate.
 */
function limitHeapGrowth(kind: Store["kind"]): void {
  if (kind === "pglite") setFlagsFromString("--heap-growing-percent=100");
}

export function selectTopics(all: string[], include: RegExp, exclude: RegExp): string[] {
  return all.filter((t) => include.test(t) && !exclude.test(t)).sort();
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export async function startTap(config: Config, store: Store, log: (line: string) => void = console.log): Promise<Tap> {
  const state: TapState = {
    instanceId: randomUUID(),
    host: hostname(),
    startedAt: new Date().toISOString(),
    state: "starting",
    topics: [],
    partitions: [],
    indexed: 0,
    lastIndexedAt: null,
    lastError: null,
    degraded: 0,
    quarantined: 0,
    pending: null,
    pendingCheckedAt: null,
    lastProgressAt: new Date().toISOString(),
    flowmap: null,
  };
  limitHeapGrowth(store.kind);
  const admin: KafkaAdmin = createAdmin(config.kafka);
  let consumer: BatchConsumer | null = null;
  let stopped = false;
  let refreshing: Promise<void> = Promise.resolve();
  // Wire-format Avro/Protobuf/JSON Schema decoding exists only with a registry configured.
  const decoder = config.schemaRegistry ? createDecoder(config.schemaRegistry) : null;

  let waitingSince: number | null = null;
  /** Records waiting on this tap's partitions, and whether it is stalled on them. */
  const checkBacklog = async (): Promise<void> => {
    if (state.state !== "running" && state.state !== "stalled") return;
    try {
      state.pending = await admin.pendingRecords(config.tapGroup, state.partitions);
      state.pendingCheckedAt = new Date().toISOString();
    } catch {
      return; // Kafka away: the topic refresh reports that
    }
    if (state.pending === 0) waitingSince = null;
    else waitingSince ??= Date.now();
    // Idle counts from the later of the last progress and when records began to wait: a tap idle for
    // hours is not stalled the moment a record arrives.
    const idleS = waitingSince === null ? 0 : (Date.now() - Math.max(Date.parse(state.lastProgressAt), waitingSince)) / 1000;
    if (idleS > config.stallAfterS) {
      const reason = `stalled: ${state.pending} record(s) waiting, nothing indexed for ${Math.round(idleS)} s`;
      if (state.state !== "stalled") log(`tap: ${reason}`);
      state.state = "stalled";
      state.lastError = reason;
    } else if (state.state === "stalled") {
      state.state = "running";
      state.lastError = null;
    }
  };

  let checking = false;
  /** One backlog count at a time: the timer's and the first batch's. */
  const checkBacklogNow = (): void => {
    if (checking) return;
    checking = true;
    void checkBacklog().finally(() => (checking = false));
  };

  /**
   * One chunk until it is stored. What ends the loop: the write succeeding (bad rows are
   * isolated inside it, so only an unavailable store throws), the batch no longer ours (stop,
   * revocation), or a heartbeat failing (rebalance, lost membership): then nothing is committed.
   */
  const writeUntilStored = async (chunk: ExtractedRecord[], batch: PartitionBatch): Promise<WriteOutcome> => {
    for (let attempt = 0; ; attempt++) {
      try {
        const out = await writeRecords(store, chunk, config.terminalEvents, config.flowmap);
        if (state.state === "store-unavailable") {
          log(`tap: store is back, writing again (${batch.topic}/${batch.partition})`);
          state.lastError = null;
          state.state = "running";
        }
        return out;
      } catch (err) {
        const message = `store unavailable: ${describeStoreError(err)}`;
        if (state.lastError !== message) log(`tap: write failed, will retry without committing: ${message}`);
        state.lastError = message;
        state.state = "store-unavailable";
        if (!batch.isActive()) throw new Error(`tap: batch for ${batch.topic}/${batch.partition} abandoned: ${message}`);
        await sleep(Math.min(MAX_BACKOFF_MS, 200 * 2 ** Math.min(attempt, 5)));
        await batch.heartbeat();
      }
    }
  };

  const handle = async (batch: PartitionBatch): Promise<void> => {
    // Waits on the registry for at most FLOWTAP_DECODE_WAIT_MS (2 s); what it cannot decode is indexed as binary with the reason.
    const decoded = decoder ? await decoder.decode(batch.records) : null;
    const records = batch.records.map((r, i) => extractRecord(r, config.extract, decoded?.[i]));
    const size = MAX_ROWS_PER_STATEMENT[store.kind];
    for (let i = 0; i < records.length; i += size) {
      // Outside the retry: a rebalance error thrown here reaches kafkajs as is, and it rejoins.
      if (i > 0) await batch.heartbeat();
      const out = await writeUntilStored(records.slice(i, i + size), batch);
      state.indexed += out.inserted;
      state.degraded += out.degraded;
      state.quarantined += out.quarantined;
      if (out.quarantined > 0) log(`tap: ${out.quarantined} record(s) of ${batch.topic}/${batch.partition} quarantined: the store refused them even reduced`);
    }
    state.lastIndexedAt = state.lastProgressAt = new Date().toISOString();
    // The backlog is unknown until counted, and until then the flow map does not yield to the index
    // (catchingUp below): count it now rather than at the next periodic check, up to 10 s away.
    if (state.pendingCheckedAt === null) checkBacklogNow();
    if (state.state === "stalled") {
      state.state = "running";
      state.lastError = null;
    }
  };

  const subscribe = async (topics: string[]): Promise<void> => {
    if (consumer) await consumer.stop();
    consumer = null;
    state.topics = topics;
    state.partitions = [];
    if (topics.length === 0 || stopped) return;
    consumer = await startBatchConsumer(config.kafka, {
      groupId: config.tapGroup,
      topics,
      fromBeginning: true,
      handle,
      ...fetchLimits(store.kind),
      onAssignment: (p) => {
        state.partitions = p;
      },
      onCrash: (err) => {
        const message = `consumer crashed: ${err.message}`;
        if (state.lastError !== message) log(`tap: ${message} (kafkajs restarts it)`);
        state.lastError = message;
      },
    });
    state.state = "running";
    log(`tap: consuming ${topics.length} topic(s) as group ${config.tapGroup}`);
  };

  const refresh = async (): Promise<void> => {
    try {
      const topics = selectTopics(await admin.listTopics(), config.topicsInclude, config.topicsExclude);
      if (stopped) return;
      const changed = topics.length !== state.topics.length || topics.some((t, i) => t !== state.topics[i]);
      if (changed || (!consumer && topics.length > 0)) await subscribe(topics);
      if (state.state === "kafka-unavailable") state.state = consumer ? "running" : "idle";
      if (!consumer) state.state = "idle";
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (state.state !== "kafka-unavailable") log(`tap: cannot reach Kafka: ${message}`);
      state.state = "kafka-unavailable";
      state.lastError = message;
    }
  };

  const heartbeat = async (): Promise<void> => {
    await recordHeartbeat(store, state).catch(() => {});
  };

  // The map's settings before the first record is indexed: a first start on an empty index then
  // only records them, instead of taking its own first records for an index from before the map
  // (which rebuilds: right, but wasted). The store away: the passes check them when it is back.
  const reconciledAtStart = await reconcileFlowmapSettings(store, config.flowmap, config.terminalEvents, log).then(
    () => true,
    (err: unknown) => (log(`tap: flow map settings not checked yet (${describeStoreError(err)}); the passes will`), false),
  );
  await refresh();
  await heartbeat();
  // A refresh that outlasts the interval (Kafka away, retries) makes the next one skip, not queue.
  let busy = false;
  const refreshTimer = setInterval(() => {
    if (busy) return;
    busy = true;
    refreshing = refresh().finally(() => (busy = false));
  }, config.topicRefreshMs);
  const heartbeatTimer = setInterval(() => void heartbeat(), HEARTBEAT_MS);
  const backlogTimer = setInterval(checkBacklogNow, Math.min(BACKLOG_EVERY_MS, config.stallAfterS * 500));
  const stopRetention = startRetention(store, config.retentionDays, log);
  // Busy: a batch finished in the last 2 s (the flow-map pass then runs one pass a second, not back to back).
  // The index comes first: while the tap is catching up a backlog (records waiting in Kafka, measured
  // by checkBacklog) the flow map folds rarely; once it keeps up with live traffic, every second.
  const catchingUp = () => Date.now() - Date.parse(state.lastProgressAt) < 2_000 && (state.pending ?? 0) > CATCHING_UP_RECORDS;
  const passes = startFlowmapPasses(store, config.flowmap, config.terminalEvents, log, catchingUp, reconciledAtStart);

  return {
    state: () => ({ ...state, flowmap: config.flowmap.enabled ? { ...passes.lag() } : null }),
    registry: () => decoder?.state() ?? null,
    stop: async () => {
      stopped = true;
      clearInterval(refreshTimer);
      clearInterval(heartbeatTimer);
      clearInterval(backlogTimer);
      stopRetention();
      await passes.stop();
      await Promise.race([refreshing, sleep(STOP_WAIT_MS)]);
      if (consumer) await consumer.stop();
      consumer = null;
      state.state = "stopped";
      state.partitions = [];
      await heartbeat();
      await admin.close().catch(() => {});
    },
  };
}
