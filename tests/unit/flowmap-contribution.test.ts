// A flow's contribution to the flow map (server/analysis/flow-contribution.ts): path, steps,
// transitions, stops, variants, flow types and the cap, on hand-built flows.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { contribution, grainRows, type ContributionConfig, type FlowEvent } from "../../server/analysis/flow-contribution";
import { capName, NAME_MAX } from "../../server/analysis/flow-types";
import { toRecord, variantHash, type AggRow } from "../../server/analysis/flowmap-rows";
import { bucketOf } from "../../server/analysis/sketch";

const T0 = Date.UTC(2026, 3, 25, 9, 0, 0);
let offset = 0;
export function ev(over: Partial<FlowEvent> & { s?: number } = {}): FlowEvent {
  const { s = 0, ...rest } = over;
  return {
    topic: "orders", partition: 0, offset: String(offset++), ts: T0 + s * 1000, eventId: null, eventType: "OrderCreated",
    eventVersion: null, service: "order-service", causationId: null, isDlq: false, ...rest,
  };
}
const config: ContributionConfig = { flowTypes: [], terminalEvents: /Completed$/, maxEvents: 1000 };

/** Minute-grain rows of one table as plain records. */
function rows(events: FlowEvent[], table: AggRow["table"], cfg = config) {
  const c = contribution(events, cfg);
  assert.ok(c);
  return [...c.rows.values()].filter((r) => r.table === table).map(toRecord);
}

const saga = () => [
  ev({ s: 0, eventId: "a", eventType: "OrderCreated", service: "order-service" }),
  ev({ s: 2, eventId: "b", eventType: "PaymentProcessed", service: "payment-service", topic: "payments" }),
  ev({ s: 70, eventId: "c", eventType: "OrderCompleted", service: "order-service" }),
];

describe("path and rows", () => {
  test("a three-step saga: flows, steps, transitions, stop, variant", () => {
    const c = contribution(saga(), config)!;
    assert.deepEqual(rows(saga(), "flows"), [{ grain: 60, t: "2026-04-25T09:00:00.000Z", flow_type: "OrderCreated", flows: 1, completed: 1, dlq: 0 }]);
    assert.deepEqual(rows(saga(), "steps").map((r) => [r.service, r.event_type, r.t, r.events]), [
      ["order-service", "OrderCreated", "2026-04-25T09:00:00.000Z", 1],
      ["payment-service", "PaymentProcessed", "2026-04-25T09:00:00.000Z", 1],
      ["order-service", "OrderCompleted", "2026-04-25T09:01:00.000Z", 1],
    ]);
    assert.deepEqual(rows(saga(), "transitions").map((r) => [r.from_event_type, r.to_event_type, r.bucket, r.t]), [
      ["OrderCreated", "PaymentProcessed", bucketOf(2000), "2026-04-25T09:00:00.000Z"],
      ["PaymentProcessed", "OrderCompleted", bucketOf(68_000), "2026-04-25T09:01:00.000Z"],
    ]);
    assert.deepEqual(rows(saga(), "stops"), [{ grain: 60, t: "2026-04-25T09:01:00.000Z", flow_type: "OrderCreated", service: "order-service", event_type: "OrderCompleted", status: "completed", flows: 1 }]);
    const [variant] = rows(saga(), "variants");
    assert.equal(variant!.steps, JSON.stringify([["order-service", "OrderCreated"], ["payment-service", "PaymentProcessed"], ["order-service", "OrderCompleted"]]));
    assert.equal(c.member.status, "completed");
    assert.deepEqual(c.member.path, ["order-service\u001fOrderCreated", "payment-service\u001fPaymentProcessed", "order-service\u001fOrderCompleted"]);
    assert.equal(c.member.firstSeen, T0);
    assert.equal(c.member.lastSeen, T0 + 70_000);
  });

  test("the order of the input does not matter; ties go by topic, partition, then numeric offset", () => {
    const events = saga();
    assert.deepEqual(contribution([...events].reverse(), config), contribution(events, config));
    const tie = [ev({ eventType: "B", offset: "10" }), ev({ eventType: "A", offset: "9" })];
    assert.equal(contribution(tie, config)!.member.path[0], "order-service\u001fA");
  });

  test("every row is spread over grains 60, 3600 and 0", () => {
    const all = grainRows(contribution(saga(), config)!).filter((r) => r.table === "flows").map(toRecord);
    assert.deepEqual(all.map((r) => [r.grain, r.t]), [[60, "2026-04-25T09:00:00.000Z"], [3600, "2026-04-25T09:00:00.000Z"], [0, "1970-01-01T00:00:00.000Z"]]);
  });

  test("a repeated event ID is a duplicate of its step, not a new step", () => {
    const events = [...saga(), ev({ s: 3, eventId: "b", eventType: "PaymentProcessed", service: "payment-service" })];
    const pay = rows(events, "steps").find((r) => r.event_type === "PaymentProcessed")!;
    assert.equal(pay.events, 1);
    assert.equal(pay.duplicates, 1);
    assert.equal(rows(events, "transitions").length, 2);
  });

  test("a lower version after a higher one is out of order on its step", () => {
    const events = [ev({ s: 0, eventType: "OrderUpdated.v2", eventVersion: "2" }), ev({ s: 1, eventType: "OrderUpdated", eventVersion: "1" })];
    const ooo = rows(events, "steps").find((r) => r.event_type === "OrderUpdated")!;
    assert.equal(ooo.out_of_order, 1);
  });

  test("causation: the transition comes from the cause's step, with the time since the cause", () => {
    const events = [
      ev({ s: 0, eventId: "a", eventType: "OrderCreated" }),
      ev({ s: 1, eventId: "b", eventType: "InventoryReserved", service: "inventory", causationId: "a" }),
      ev({ s: 5, eventId: "c", eventType: "PaymentProcessed", service: "payment", causationId: "a" }),
    ];
    assert.deepEqual(rows(events, "transitions").map((r) => [r.from_event_type, r.to_event_type, r.bucket]), [
      ["OrderCreated", "InventoryReserved", bucketOf(1000)],
      ["OrderCreated", "PaymentProcessed", bucketOf(5000)],
    ]);
  });

  test("a transition counts once per flow; repeats of a step in a row are one variant step", () => {
    const events = [ev({ s: 0, eventType: "A" }), ev({ s: 1, eventType: "B" }), ev({ s: 2, eventType: "B" }), ev({ s: 3, eventType: "A" }), ev({ s: 4, eventType: "B" })];
    assert.deepEqual(rows(events, "transitions").map((r) => [r.from_event_type, r.to_event_type, r.flows]), [["A", "B", 1], ["B", "A", 1]]);
    assert.equal(rows(events, "steps").find((r) => r.event_type === "B")!.events, 3);
    assert.equal(rows(events, "variants")[0]!.steps, JSON.stringify([["order-service", "A"], ["order-service", "B"], ["order-service", "A"], ["order-service", "B"]]));
  });
});

describe("dead letters", () => {
  test("not a step: the flow is dlq, the step of the dead letter's event type is marked", () => {
    const events = [...saga().slice(0, 2), ev({ s: 30, isDlq: true, topic: "payments.DLT", eventType: "OrderCreated", service: "order-service" })];
    const steps = rows(events, "steps");
    assert.equal(steps.length, 2);
    assert.deepEqual(steps.map((r) => [r.event_type, r.dlq]), [["OrderCreated", 1], ["PaymentProcessed", 0]]);
    assert.deepEqual(rows(events, "stops").map((r) => [r.event_type, r.status, r.t]), [["PaymentProcessed", "dlq", "2026-04-25T09:00:00.000Z"]]);
    assert.deepEqual(rows(events, "flows").map((r) => [r.flows, r.completed, r.dlq]), [[1, 0, 1]]);
  });

  test("dlq outranks completed; an unknown type marks the last step; a flow of dead letters only has no step", () => {
    const events = [...saga(), ev({ s: 80, isDlq: true, eventType: "Mystery" })];
    assert.equal(contribution(events, config)!.member.status, "dlq");
    assert.deepEqual(rows(events, "steps").map((r) => r.dlq), [0, 0, 1]);
    const only = contribution([ev({ isDlq: true, eventType: "X" })], config)!;
    assert.equal(only.member.status, "dlq");
    assert.deepEqual([...only.rows.values()].filter((r) => r.table === "steps"), []);
    assert.deepEqual([only.member.lastService, only.member.lastEventType], ["", ""]);
  });
});

describe("flow types", () => {
  const rules: ContributionConfig = {
    ...config,
    flowTypes: [{ name: "refund", topic: /^refunds\./ }, { name: "order", eventType: /^Order/ }],
  };
  test("first matching rule on the first event, else its event type", () => {
    assert.equal(contribution(saga(), rules)!.member.flowType, "order");
    assert.equal(contribution([ev({ topic: "refunds.in", eventType: "OrderCreated" })], rules)!.member.flowType, "refund");
    assert.equal(contribution([ev({ eventType: "Shipment" })], rules)!.member.flowType, "Shipment");
    assert.equal(contribution([ev({ eventType: null })], rules)!.member.flowType, "");
  });
  test("the first event is the earliest non-dead-letter one, whatever arrives first", () => {
    const late = [ev({ s: 5, eventType: "PaymentProcessed" }), ev({ s: 1, isDlq: true, eventType: "Zzz" }), ev({ s: 2, eventType: "OrderCreated" })];
    assert.equal(contribution(late, rules)!.member.flowType, "order");
  });
});

describe("limits", () => {
  test("a flow over the cap contributes nothing, decided by its total events", () => {
    const many = Array.from({ length: 11 }, (_, i) => ev({ s: i }));
    assert.equal(contribution(many, { ...config, maxEvents: 10 }), null);
    assert.ok(contribution(many.slice(0, 10), { ...config, maxEvents: 10 }));
    assert.equal(contribution([], config), null);
  });
  test("names are capped without splitting a surrogate pair", () => {
    const long = "x".repeat(NAME_MAX - 1) + "😀" + "y";
    assert.equal(capName(long), "x".repeat(NAME_MAX - 1));
    const c = contribution([ev({ eventType: long, service: "s".repeat(500) })], config)!;
    assert.equal(c.member.lastService.length, NAME_MAX);
  });
  test("the variant hash is stable (stored: changing it splits every variant)", () => {
    assert.equal(variantHash(["a\u001fB", "c\u001fD"]), variantHash(["a\u001fB", "c\u001fD"]));
    assert.notEqual(variantHash(["a\u001fB", "c\u001fD"]), variantHash(["c\u001fD", "a\u001fB"]));
    // Golden values: this test failing means stored variants would no longer match new ones.
    assert.equal(variantHash([]), "5db648b3f2c958ee");
    assert.equal(variantHash(["order-service\u001fOrderCreated", "payment-service\u001fPaymentProcessed"]), "aa4530f4fe981105");
  });
});
