// A flow against its type's most common path: each kind of difference in words, and the flow's
// own transitions linked as the map links them.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { compareWithType, type AgainstTypeInput } from "../../server/analysis/against-type";
import { flowTransitions, type FlowEvent } from "../../server/analysis/flow-contribution";
import { stepKey } from "../../server/analysis/steps";

const k = (eventType: string, service = "svc") => stepKey({ service, eventType });
const [A, B, C, D, X] = ["OrderCreated", "PaymentProcessed", "InventoryReserved", "OrderCompleted", "FraudChecked"].map((t) => k(t)) as [string, string, string, string, string];
const common = { steps: [A, B, C, D], flows: 620, share: 0.62 };
const base: AgainstTypeInput = { type: "OrderCreated", path: [A, B, C, D], status: "completed", stuck: false, common, transitions: [], latency: new Map() };
const run = (over: Partial<AgainstTypeInput>) => compareWithType({ ...base, ...over });
const texts = (over: Partial<AgainstTypeInput>) => run(over).findings.map((f) => `${f.kind}: ${f.text}`);

describe("against the common path", () => {
  test("the common path itself", () => {
    assert.deepEqual(run({}), { findings: [], summary: "Follows the most common path of OrderCreated flows (62 % of them)." });
  });
  test("stuck: the steps it never reached", () => {
    const r = run({ path: [A, B], status: "open", stuck: true });
    assert.deepEqual(r.findings.map((f) => `${f.kind}: ${f.text}`), [
      "stuck: Stuck after PaymentProcessed: open, and no event for longer than the stuck threshold",
      "not-reached: Never reached InventoryReserved, OrderCompleted: the common path goes on to them",
    ]);
    assert.equal(r.summary, "Differs from the most common path of OrderCreated flows (62 % of them) in 1 way.");
  });
  test("in progress, dead-lettered, completed early", () => {
    assert.deepEqual(texts({ path: [A, B, C], status: "open" }), ["not-reached: Has not reached OrderCompleted yet"]);
    assert.deepEqual(texts({ path: [A, B], status: "dlq" }), [
      "dead-letter: Ended in a dead letter after PaymentProcessed",
      "not-reached: Never reached InventoryReserved, OrderCompleted: the common path goes on to them",
    ]);
    assert.deepEqual(texts({ path: [A, B, C] }), ["not-reached: Completed without OrderCompleted"]);
  });
  test("skipped, extra, repeated and out-of-order steps", () => {
    assert.deepEqual(texts({ path: [A, B, D] }), ["missing: Skipped InventoryReserved, which the common path has before OrderCompleted"]);
    assert.deepEqual(texts({ path: [A, X, B, C, D] }), ["extra: FraudChecked is not on the common path"]);
    assert.deepEqual(texts({ path: [A, B, C, B, D] }), ["repeated: PaymentProcessed 2 times (1 on the common path)"]);
    assert.deepEqual(texts({ path: [A, C, B, D] }), ["out-of-order: PaymentProcessed came after InventoryReserved; the common path has it before"]);
  });
  test("much slower than the type's p95, with enough samples", () => {
    const latency = new Map([[`${B}\u001e${C}`, { flows: 400, p50Ms: 450, p95Ms: 600 }], [`${C}\u001e${D}`, { flows: 5, p50Ms: 100, p95Ms: 120 }]]);
    const transitions = [{ from: A, to: B, ms: 300 }, { from: B, to: C, ms: 4100 }, { from: C, to: D, ms: 9000 }];
    assert.deepEqual(texts({ transitions, latency }), ["slower: PaymentProcessed → InventoryReserved took 4.1 s; the type's p95 is 600 ms"]);
    assert.deepEqual(texts({ transitions: [{ from: B, to: C, ms: 850 }], latency }), [], "1.4 × p95 is within the tail");
  });
  test("no common path to compare with", () => {
    assert.deepEqual(run({ common: null }), { findings: [], summary: "No common path of OrderCreated flows in the last 24 h to compare with." });
  });
});

describe("a flow's own transitions", () => {
  let offset = 0;
  const ev = (eventType: string, s: number, over: Partial<FlowEvent> = {}): FlowEvent => ({
    topic: "t", partition: 0, offset: String(offset++), ts: Date.UTC(2026, 3, 25, 14) + s * 1000, service: "svc", eventType,
    eventId: `${eventType}-${s}`, eventVersion: null, causationId: null, isDlq: false, ...over,
  });
  test("in time order, from the cause when named, without dead letters, duplicates or self-links", () => {
    const events = [
      ev("PaymentProcessed", 1),
      ev("OrderCreated", 0, { eventId: "o1" }),
      ev("PaymentProcessed", 1.5, { eventId: "PaymentProcessed-1" }), // a second delivery
      ev("PaymentProcessed", 2, { isDlq: true }),
      ev("InventoryReserved", 3),
      ev("InventoryReserved", 3.5),
      ev("EmailSent", 5, { causationId: "o1" }),
    ];
    assert.deepEqual(flowTransitions(events), [
      { from: A, to: B, ms: 1000 },
      { from: B, to: C, ms: 2000 },
      { from: A, to: k("EmailSent"), ms: 5000 },
    ]);
  });
});
