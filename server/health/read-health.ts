import "server-only";
// What /api/health answers. `ok` is true only when the index is keeping up: Kafka answers, the
// store answers, a tap is alive, and no tap is stalled (records waiting, nothing indexed for
// FLOWTAP_STALL_AFTER_S) or unable to write, and every configured Schema Registry answers
// (without it wire-format records are indexed as binary, their IDs unfindable). Anonymous callers
// get `ok` and the component states; error texts, counts, topics and registry URLs need sign-in.
// No text here ever carries a statement, its parameters or a payload (describeStoreError).
import { describeStoreError } from "../db/errors";
import type { Runtime } from "../runtime";
import { readTapStatus, type TapStatus } from "../tap/tap-status";
import { queuedEvents } from "../flowmap/queued";
import type { RegistryHealth } from "./registry-probe";

export interface HealthStates {
  ok: boolean;
  kafka: { ok: boolean };
  db: { ok: boolean; kind: string };
  tap: { running: boolean; stalled: boolean; states: string[] };
  /** Only with SCHEMA_REGISTRY_URL set. */
  registry?: { ok: boolean };
  /** "off": open mode (FLOWTAP_AUTH=off), shown to everyone so it is never a secret. */
  auth?: "on" | "off";
}

export interface HealthDetail {
  ok: boolean;
  kafka: { ok: boolean; brokers?: string[]; error?: string };
  db: { ok: boolean; kind: string; error?: string };
  tap: TapStatus;
  /** Only with SCHEMA_REGISTRY_URL set: each URL (no credentials), whether it answers, and why not. */
  registry?: RegistryHealth;
  /**
   * Events indexed but not yet on the flow map (FLOWTAP_FLOWMAP=on). Not part of `ok`: a map that
   * lags is late, not wrong, and the index (what on-call searches) is what `ok` guards.
   */
  flowmap?: { queued: number; capped: boolean };
  auth?: "on" | "off";
}

const NO_TAP: TapStatus = {
  running: false, states: [], stalled: false, pending: null, degraded: 0, quarantined: 0, instances: 0,
  partitions: 0, indexed: 0, lastIndexedAt: null, totalIndexed: 0, indexedSince: null, errors: [],
};

export async function readHealth(rt: Runtime): Promise<HealthDetail> {
  const kafkaCheck = rt.kafka.check();
  const registryCheck = rt.registry?.check();
  const kind = rt.config.databaseUrl ? "postgres" : "pglite";
  let db: HealthDetail["db"];
  let tap = NO_TAP;
  let flowmap: HealthDetail["flowmap"];
  try {
    const store = await rt.store;
    await store.ping();
    tap = await readTapStatus(store);
    if (rt.config.flowmap.enabled) {
      const q = await queuedEvents(store);
      flowmap = { queued: q.events, capped: q.capped };
    }
    db = { ok: true, kind };
  } catch (err) {
    db = { ok: false, kind, error: describeStoreError(err) };
  }
  const [kafka, registry] = await Promise.all([kafkaCheck, registryCheck]);
  const ok = indexKeepsUp(kafka.ok, db.ok, tap) && (registry?.ok ?? true);
  return { ok, kafka, db, tap, ...(registry ? { registry } : {}), ...(flowmap ? { flowmap } : {}), auth: rt.config.authOpen ? "off" : "on" };
}

/** The index is keeping up: both ends answer, a tap is alive, and none is stalled or unable to write. */
export function indexKeepsUp(kafkaOk: boolean, dbOk: boolean, tap: Pick<TapStatus, "running" | "stalled">): boolean {
  return kafkaOk && dbOk && tap.running && !tap.stalled;
}

/** The anonymous view: states only. */
export function healthStates(h: HealthDetail): HealthStates {
  return {
    ok: h.ok,
    kafka: { ok: h.kafka.ok },
    db: { ok: h.db.ok, kind: h.db.kind },
    tap: { running: h.tap.running, stalled: h.tap.stalled, states: h.tap.states },
    ...(h.registry ? { registry: { ok: h.registry.ok } } : {}),
    ...(h.auth ? { auth: h.auth } : {}),
  };
}
