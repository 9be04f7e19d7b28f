// The demo's traffic: one order saga every ~1/ordersPerSecond seconds, each spread over a few
// seconds of timers, produced with kafkajs as the services would; plus the services' consumer
// groups. The saga's shape and wire formats live in saga-events.ts (pure, unit-tested).
import { Kafka, logLevel, Partitioners, type LogEntry, type Producer } from "kafkajs";
import { startServiceConsumers, type ServiceConsumers } from "./saga-consumers";
import {
  chooseFaults, chooseOutcome, laravelDeadLetter, newSaga, sagaEvent, sagaSteps, springDeadLetter, stepDelayMs,
  type Outcome, type ProducedAt, type SagaMessage,
} from "./saga-events";
import type { Rand } from "./saga-wire";
import { encodePayment } from "./saga-avro";

export { SAGA_TOPICS } from "./saga-events";
export type { Outcome } from "./saga-events";

export interface SimulatorOptions {
  brokers: string[];
  /** New orders per second; default 2.5 (one every 400 ms). */
  ordersPerSecond?: number;
  log: (line: string) => void;
  rand?: Rand;
  /**
   * The fault switches on this long after start: inventory-service fails more reservations, stops
   * answering some, and slows down, so the flow map's comparison has something to show.
   * Default 180 s; Infinity never.
   */
  faultAfterMs?: number;
  /**
   * Sagas back-dated over this much time before start (producer timestamps in the past), written
   * in the background, so the map's baseline window ("the hour before") has data on a fresh demo.
   * Default 2 h; 0 none.
   */
  historyMs?: number;
}

/** Back-dated orders per second of history: ≈ 2,900 sagas (≈ 15,000 records) for 2 h, indexed in seconds. */
const HISTORY_ORDERS_PER_SECOND = 0.4;
/** History sagas produced at once: each sends its records one after the other (the DLT needs the offset). */
const HISTORY_CONCURRENCY = 16;

/** Correlation IDs of finished sagas, newest last, per outcome. */
export type SampleIds = Record<Outcome, string[]>;

export interface SagaSimulator {
  stop(): Promise<void>;
  sampleIds(): SampleIds;
  /** When the fault switched on, or null while it has not. */
  faultSince(): Date | null;
  /** From now on payment-service writes Avro in wire format with these schema ids (topic → id). */
  usePaymentSchema(ids: Map<string, number>): void;
}

const SAMPLES_KEPT = 5;
const ERROR_QUIET_MS = 30_000;

/** A kafkajs client whose errors reach `log` at most once per 30 s per line, and not at all once muted. */
function demoKafka(brokers: string[], log: (line: string) => void): { kafka: Kafka; mute(): void } {
  let muted = false;
  const lastPrinted = new Map<string, number>();
  const logCreator = () => ({ log: entry }: LogEntry) => {
    // "Response …" lines are single failed requests that kafkajs retries itself (a fresh
    // broker has no group coordinator for a moment); real failures surface as errors.
    if (entry.message.startsWith("Response ")) return;
    const line = `kafka: ${entry.message}${entry.error ? `: ${String(entry.error)}` : ""}`;
    const now = Date.now();
    if (muted || now - (lastPrinted.get(line) ?? 0) < ERROR_QUIET_MS) return;
    lastPrinted.set(line, now);
    log(line);
  };
  const kafka = new Kafka({ clientId: "flowtap-demo", brokers, logLevel: logLevel.ERROR, logCreator, retry: { retries: 5 } });
  return { kafka, mute: () => void (muted = true) };
}

export async function startSagaSimulator(opts: SimulatorOptions): Promise<SagaSimulator> {
  const rand = opts.rand ?? Math.random;
  const intervalMs = 1000 / (opts.ordersPerSecond ?? 2.5);
  const { kafka, mute } = demoKafka(opts.brokers, opts.log);
  // The Java client's partitioner, so records with one key (an order id) share a partition as they would in production.
  const producer: Producer = kafka.producer({ allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  let consumers: ServiceConsumers;
  try {
    consumers = await startServiceConsumers(kafka);
  } catch (err) {
    await producer.disconnect();
    throw err;
  }

  let stopped = false;
  // Wakes every sleeping saga at stop; each then sees `stopped` and ends.
  const wakers = new Set<() => void>();
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      wakers.add(wake);
    });
  const running = new Set<Promise<void>>();
  const samples: SampleIds = { completed: [], compensated: [], "payment-failed": [], "dlq-laravel": [], "dlq-spring": [], "inventory-timeout": [] };
  const startedAt = Date.now();
  const faultAfterMs = opts.faultAfterMs ?? 180_000;
  let faultSince: Date | null = null;
  const faulty = (): boolean => {
    if (faultSince === null && Date.now() - startedAt >= faultAfterMs) {
      faultSince = new Date();
      opts.log("simulator: fault on: inventory-service now fails or drops a share of reservations and answers in 2.5–6 s");
    }
    return faultSince !== null;
  };
  let lastErrorAt = 0;

  let paymentSchema: Map<string, number> | null = null;
  /** The bytes a service puts on the wire: Avro for payment events once the registry knows the schema. */
  const wire = (msg: SagaMessage): { value: string | Buffer; headers: SagaMessage["headers"] } => {
    const id = paymentSchema?.get(msg.topic);
    if (id === undefined) return msg;
    let json: unknown;
    try {
      json = JSON.parse(msg.value);
    } catch {
      return msg;
    }
    const bytes = json !== null && typeof json === "object" ? encodePayment(id, json as Record<string, unknown>) : null;
    return bytes ? { value: bytes, headers: { ...msg.headers, "content-type": "application/avro" } } : msg;
  };

  const send = async (msg: SagaMessage): Promise<ProducedAt> => {
    const { value, headers } = wire(msg);
    const [meta] = await producer.send({
      topic: msg.topic,
      acks: -1,
      messages: [{ key: msg.key, value, headers, timestamp: msg.timestamp }],
    });
    const offset = meta?.baseOffset ?? meta?.offset;
    if (!meta || offset === undefined) throw new Error(`no produce result for ${msg.topic}`);
    return { partition: meta.partition, offset };
  };

  /**
   * One saga. Live: waits out each step's delay. Back-dated (`at` given): stamps each record with
   * the time it would have had, and sends it at once.
   */
  const runSaga = async (at?: number): Promise<void> => {
    const fault = at === undefined && faulty();
    const outcome = chooseOutcome(rand(), fault);
    const saga = newSaga(rand);
    let clock = at ?? 0;
    let last: { msg: SagaMessage; at: ProducedAt } | null = null;
    for (const step of sagaSteps(outcome, chooseFaults(rand))) {
      const delay = stepDelayMs(step, rand, fault);
      if (at === undefined) await sleep(delay);
      clock += delay;
      if (stopped) return;
      const now = at === undefined ? new Date() : new Date(clock);
      if (step === "Duplicate" || step === "LaravelDeadLetter" || step === "SpringDeadLetter") {
        if (!last) throw new Error(`${step} needs a record before it`);
        const msg =
          step === "Duplicate" ? last.msg : step === "LaravelDeadLetter" ? laravelDeadLetter(last.msg, now) : springDeadLetter(last.msg, last.at, now);
        await send(msg);
      } else {
        const msg = sagaEvent(saga, step, now, rand);
        last = { msg, at: await send(msg) };
      }
    }
    if (at !== undefined) return;
    const kept = samples[outcome];
    kept.push(saga.correlationId);
    if (kept.length > SAMPLES_KEPT) kept.shift();
  };

  const startOne = () => {
    const p = runSaga()
      .catch((err: unknown) => {
        // A saga that fails to produce is dropped; say so now and then, not per record.
        if (stopped || Date.now() - lastErrorAt < ERROR_QUIET_MS) return;
        lastErrorAt = Date.now();
        opts.log(`simulator: a saga was dropped: ${err instanceof Error ? err.message : String(err)}`);
      })
      .finally(() => running.delete(p));
    running.add(p);
  };

  const loop = async () => {
    while (!stopped) {
      startOne();
      // ±25% jitter so orders do not tick like a metronome.
      await sleep(intervalMs * (0.75 + rand() * 0.5));
    }
  };
  const looping = loop();

  // History in the background: the first live flow is not delayed by it.
  const historyMs = opts.historyMs ?? 2 * 3_600_000;
  const history = (async () => {
    const count = Math.floor((historyMs / 1000) * HISTORY_ORDERS_PER_SECOND);
    let next = 0;
    const worker = async () => {
      while (!stopped && next < count) {
        const i = next++;
        await runSaga(startedAt - historyMs + (i / count) * historyMs).catch(() => {});
      }
    };
    await Promise.all(Array.from({ length: HISTORY_CONCURRENCY }, worker));
    if (count > 0 && !stopped) opts.log(`simulator: ${count} back-dated orders written (the map's baseline)`);
  })();

  return {
    sampleIds: () => ({
      completed: [...samples.completed],
      compensated: [...samples.compensated],
      "payment-failed": [...samples["payment-failed"]],
      "dlq-laravel": [...samples["dlq-laravel"]],
      "dlq-spring": [...samples["dlq-spring"]],
      "inventory-timeout": [...samples["inventory-timeout"]],
    }),
    faultSince: () => faultSince,
    usePaymentSchema: (ids) => {
      paymentSchema = ids;
    },
    stop: async () => {
      if (stopped) return;
      stopped = true;
      // Errors from here on are the shutdown's own (the broker may be stopping too).
      mute();
      for (const wake of [...wakers]) wake();
      await Promise.all([looping, history]);
      // Sends already under way finish (or fail) before the producer goes.
      await Promise.allSettled([...running]);
      await Promise.allSettled([producer.disconnect(), consumers.stop()]);
    },
  };
}
