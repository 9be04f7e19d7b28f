// The core property of the flow map's writer: folding a flow's events in as deltas, batch by
// batch, in any order of arrival, with re-deliveries, ends with exactly the rows and members row
// of the whole flow computed at once. The writer does per chunk what this simulation does
// (server/flowmap/sync-flows.ts → flowDelta): before = the stored events, after = with the batch.
// A failing run prints its seed: add it to REGRESSION_SEEDS.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { contribution, flowTransitions, grainRows, type ContributionConfig, type FlowEvent, type Member } from "../../server/analysis/flow-contribution";
import { bucketOf } from "../../server/analysis/sketch";
import { stepKey } from "../../server/analysis/steps";
import { flowDelta } from "../../server/analysis/flow-delta";
import { addAll, expandGrains, nonZero, toRecord, type AggRow, type RowSet } from "../../server/analysis/flowmap-rows";

const REGRESSION_SEEDS: number[] = [];
const T0 = Date.UTC(2026, 3, 25, 9, 58, 0);

const TYPES = ["OrderCreated", "PaymentProcessed", "InventoryReserved", "OrderCompleted", "OrderUpdated.v2", "OrderUpdated"];
// "pay\u001fment": a name holding the step key's separator (stripped in keys and stored names alike).
const SERVICES = ["order", "payment", "inventory", "pay\u001fment", null];
const TOPICS = ["orders", "payments", "orders.DLT"];

/** One generated event; ids and causes from a small pool so duplicates and causation links happen. */
const eventArb = fc.record({
  // Seconds apart (ties, a minute and an hour boundary: T0 is 09:58) or anywhere in three hours.
  ts: fc.oneof(fc.integer({ min: 0, max: 200 }).map((k) => T0 + k * 1000), fc.integer({ min: 0, max: 3 * 3_600_000 }).map((d) => T0 + d)),
  topic: fc.constantFrom(...TOPICS),
  partition: fc.integer({ min: 0, max: 2 }),
  eventId: fc.option(fc.constantFrom("e1", "e2", "e3", "e4", "e5", "e6"), { freq: 4 }),
  causationId: fc.option(fc.constantFrom("e1", "e2", "e3", "e9"), { freq: 2 }),
  eventType: fc.option(fc.constantFrom(...TYPES), { freq: 8 }),
  eventVersion: fc.option(fc.constantFrom("1", "2", "10", "1.9.0", "1.10.0"), { freq: 2 }),
  service: fc.constantFrom(...SERVICES),
  isDlq: fc.integer({ min: 0, max: 7 }).map((n) => n === 0),
});

const flowArb = fc.array(eventArb, { minLength: 1, maxLength: 14 }).map((list) =>
  // Offsets unique per (topic, partition), as Kafka's are; 9 and 10 sort numerically.
  list.map((e, i): FlowEvent => ({ ...e, offset: String(7 + i) })),
);

/** Arrival: a shuffle of the events, cut into batches, some batches delivered again (a re-read). */
const arrivalArb = (events: FlowEvent[]) =>
  fc.tuple(
    fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }),
    fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 20 }),
    fc.array(fc.nat(30), { maxLength: 4 }),
  ).map(([order, sizes, replays]) => {
    const batches: FlowEvent[][] = [];
    for (let i = 0, k = 0; i < order.length; k++) {
      const n = sizes[k % sizes.length]!;
      batches.push(order.slice(i, i + n));
      i += n;
    }
    for (const r of replays) if (batches.length) batches.splice(r % (batches.length + 1), 0, batches[r % batches.length]!);
    return batches;
  });

const configArb: fc.Arbitrary<ContributionConfig> = fc.record({
  flowTypes: fc.constantFrom([], [{ name: "order", eventType: /^Order/ }], [{ name: "dead", topic: /DLT$/ }]),
  terminalEvents: fc.constant(/Completed$/),
  // Small caps too, so flows cross the cap on the way (and come back under it never: events only grow).
  maxEvents: fc.constantFrom(4, 8, 1000),
});

const pos = (e: FlowEvent) => `${e.topic}/${e.partition}/${e.offset}`;
const sorted = (rows: AggRow[]) => rows.map((r) => JSON.stringify(toRecord(r))).sort();

test("folding batches in as before/after deltas, in any order, with re-reads, equals the whole flow at once", () => {
  const property = fc.property(
    flowArb.chain((events) => fc.tuple(fc.constant(events), arrivalArb(events), configArb)),
    ([events, batches, config]) => {
      const stored = new Map<string, FlowEvent>();
      const tables: RowSet = new Map();
      let recorded: Member | null = null;
      for (const batch of batches) {
        const before = [...stored.values()];
        for (const e of batch) stored.set(pos(e), e);
        if (stored.size === before.length) continue; // a re-read inserts nothing: the writer does nothing
        const minute: RowSet = new Map();
        const d = flowDelta(recorded, before, [...stored.values()], config, minute);
        assert.ok(d !== "frozen", "never frozen while the recorded contribution is the one computed");
        addAll(tables, expandGrains(minute.values()));
        recorded = d.member;
        // Counts never go below zero on the way: every subtracted row was added before.
        for (const r of tables.values()) assert.ok(r.counts.every((c) => c >= 0), JSON.stringify(toRecord(r)));
      }
      const whole = contribution(events, config);
      assert.deepEqual(sorted(nonZero(tables)), sorted(whole ? grainRows(whole) : []));
      assert.deepEqual(recorded, whole?.member ?? null);
    },
  );
  for (const seed of REGRESSION_SEEDS) fc.assert(property, { seed, numRuns: 1 });
  fc.assert(property, { numRuns: 1500 });
});

test("a recorded contribution that the events no longer give freezes the flow", () => {
  const e = (s: number, eventType: string): FlowEvent => ({
    topic: "t", partition: 0, offset: String(s), ts: T0 + s * 1000, eventId: null, eventType, eventVersion: null, service: "s", causationId: null, isDlq: false,
  });
  const config: ContributionConfig = { flowTypes: [], terminalEvents: /Completed$/, maxEvents: 1000 };
  const recorded = contribution([e(1, "A")], config)!.member;
  const renamed: ContributionConfig = { ...config, flowTypes: [{ name: "renamed", eventType: /^A$/ }] };
  const into: RowSet = new Map();
  assert.equal(flowDelta(recorded, [e(1, "A")], [e(1, "A"), e(2, "B")], renamed, into), "frozen", "FLOWTAP_FLOW_TYPES changed since");
  assert.equal(flowDelta(recorded, [], [e(2, "B")], config, into), "frozen", "its events are gone");
  assert.equal(into.size, 0, "a frozen flow adds nothing");
  assert.notEqual(flowDelta(recorded, [e(1, "A")], [e(1, "A"), e(2, "B")], config, into), "frozen");
});

test("the flow page's transitions are the ones the map counts for the flow: same pairs, same latency buckets (property)", () => {
  fc.assert(
    fc.property(flowArb, configArb, (events, config) => {
      const c = contribution(events, config);
      fc.pre(c !== null);
      const counted = c!.rows
        .filter((r) => r.table === "transitions")
        .map((r) => {
          const [, fs, fe, ts, te, bucket] = r.key as [string, string, string, string, string, number];
          return `${stepKey({ service: fs, eventType: fe })} → ${stepKey({ service: ts, eventType: te })} @${bucket}`;
        })
        .sort();
      const shown = flowTransitions(events).map((t) => `${t.from} → ${t.to} @${bucketOf(t.ms)}`).sort();
      assert.deepEqual(shown, counted);
    }),
    { numRuns: 500 },
  );
});
