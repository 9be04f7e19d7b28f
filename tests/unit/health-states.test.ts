// Health: `ok` only while the index keeps up; anonymous callers see states, never texts.
import assert from "node:assert/strict";
import { test } from "node:test";
import { healthStates, indexKeepsUp, type HealthDetail } from "../../server/health/read-health";

const tap = {
  running: true, states: ["stalled", "running"], stalled: true, pending: 12, degraded: 3, quarantined: 1, instances: 2,
  partitions: 6, indexed: 100, lastIndexedAt: null, totalIndexed: 100, indexedSince: null,
  errors: ["stalled: 12 record(s) waiting, nothing indexed for 61 s"],
};

test("ok is false whenever the index is not keeping up", () => {
  assert.equal(indexKeepsUp(true, true, { running: true, stalled: false }), true);
  assert.equal(indexKeepsUp(true, true, { running: true, stalled: true }), false, "a stalled tap");
  assert.equal(indexKeepsUp(true, true, { running: false, stalled: false }), false, "no tap alive");
  assert.equal(indexKeepsUp(false, true, { running: true, stalled: false }), false, "Kafka away");
  assert.equal(indexKeepsUp(true, false, { running: true, stalled: false }), false, "store away");
});

test("the anonymous view carries states only", () => {
  const detail: HealthDetail = {
    ok: false,
    kafka: { ok: true, brokers: ["10.0.0.1:9092"] },
    db: { ok: false, kind: "postgres", error: "SQLSTATE 57P01 (server shutting down)" },
    tap,
  };
  const anon = healthStates(detail);
  assert.deepEqual(anon, { ok: false, kafka: { ok: true }, db: { ok: false, kind: "postgres" }, tap: { running: true, stalled: true, states: ["stalled", "running"] } });
  assert.ok(!JSON.stringify(anon).match(/10\.0\.0\.1|SQLSTATE|waiting/));
});
