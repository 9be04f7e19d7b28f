// The map's drawing decisions: steps in typical path order, edges as lines or arcs, and the URL
// state that makes a clicked stop a link.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { FlowTypeMap, MapStep, MapTransition } from "../../server/contract/flowmap";
import { layoutType, stepOrder } from "../../components/map/graph-layout";
import { parseCompare, parseMapRange, parseSelection, selectionParams, type Selection } from "../../components/map/map-url";

const step = (id: string, flows: number): MapStep => ({ id, service: "svc", eventType: id, flows, dlq: 0, duplicates: 0, outOfOrder: 0 });
const tr = (from: string, to: string, flows: number): MapTransition => ({ from, to, flows, p50Ms: 100, p95Ms: 200 });
const type = (over: Partial<FlowTypeMap>): FlowTypeMap => ({ type: "T", flows: 100, completed: 90, stuck: 0, dlq: 0, steps: [], transitions: [], stops: [], variants: [], changes: [], ...over });

describe("step order", () => {
  test("mean position over the variants, weighted by flows", () => {
    const m = type({
      steps: [step("C", 100), step("A", 100), step("B", 100), step("D", 100)],
      variants: [{ id: "1", steps: ["A", "B", "C", "D"], flows: 60, share: 0.6 }, { id: "2", steps: ["A", "C", "B", "D"], flows: 40, share: 0.4 }],
    });
    assert.deepEqual(stepOrder(m), ["A", "B", "C", "D"]);
  });
  test("a step on no listed variant follows the step it is most often reached from", () => {
    const m = type({
      steps: [step("A", 100), step("B", 90), step("X", 3), step("Z", 1)],
      variants: [{ id: "1", steps: ["A", "B"], flows: 90, share: 0.9 }],
      transitions: [tr("A", "B", 90), tr("A", "X", 2), tr("B", "X", 1)],
    });
    assert.deepEqual(stepOrder(m), ["A", "X", "B", "Z"]);
  });
});

describe("layout", () => {
  test("next step: a line; skipping: an arc above; going back: an arc below", () => {
    const m = type({
      steps: ["A", "B", "C"].map((id) => step(id, 10)),
      variants: [{ id: "1", steps: ["A", "B", "C"], flows: 10, share: 1 }],
      transitions: [tr("A", "B", 10), tr("A", "C", 2), tr("C", "B", 1)],
      stops: [{ after: "B", flows: 3, stuck: 3, dlq: 0, share: 0.3 }],
    });
    const l = layoutType(m);
    assert.deepEqual(l.nodes.map((n) => n.step.id), ["A", "B", "C"]);
    assert.ok(l.nodes[0]!.x < l.nodes[1]!.x && l.nodes[1]!.x < l.nodes[2]!.x);
    assert.equal(l.nodes[1]!.stop?.flows, 3);
    const [ab, ac, cb] = l.edges;
    assert.equal(ab!.straight, true);
    assert.ok(!ac!.straight && ac!.ly < l.nodes[0]!.y, "above the nodes");
    assert.ok(!cb!.straight && cb!.ly > l.nodes[0]!.y, "below the nodes");
    assert.ok(ab!.width > cb!.width, "busier edges are thicker");
    assert.ok(l.width > l.nodes[2]!.x && l.height > cb!.ly);
  });
});

describe("URL state", () => {
  test("selections survive a round trip through the URL; unknown values fall back", () => {
    const sels: Selection[] = [
      { kind: "step", type: "OrderCreated", step: "svc\u001fA" },
      { kind: "transition", type: "T", from: "a", to: "b" },
      { kind: "stop", type: "T", after: "svc\u001fB" },
      { kind: "variant", type: "T", variant: "abc" },
    ];
    for (const sel of sels) {
      const p = new URLSearchParams(Object.entries(selectionParams(sel)).filter((e): e is [string, string] => e[1] !== null));
      assert.deepEqual(parseSelection(new URLSearchParams(p.toString())), sel);
    }
    assert.equal(parseSelection(new URLSearchParams("sel=stop&ft=T")), null);
    assert.deepEqual([parseMapRange("6h"), parseMapRange("1y"), parseCompare("week"), parseCompare(null)], ["6h", "1h", "week", "previous"]);
  });
});
