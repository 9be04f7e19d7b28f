// What the map's rows depend on: a change of any of it must change the fingerprint (the tap then
// rebuilds the map), and equal settings must give the same one (or every start would rebuild).
import assert from "node:assert/strict";
import { test } from "node:test";
import { parseFlowTypes, type FlowmapOptions } from "../../server/flowmap/options";
import { flowmapFingerprint, MAP_OFF } from "../../server/flowmap/settings";

const on = (flowTypes = "", maxEvents = 1000): FlowmapOptions => ({ enabled: true, flowTypes: flowTypes ? parseFlowTypes(flowTypes) : [], maxEvents });
const T = /(Completed|Cancelled)$/i;

test("equal settings, parsed twice, give one fingerprint", () => {
  assert.equal(flowmapFingerprint(on("order=eventType:^Order;refund=topic:^refunds\\."), T), flowmapFingerprint(on("order=eventType:^Order; refund=topic:^refunds\\."), /(Completed|Cancelled)$/i));
  assert.equal(flowmapFingerprint({ ...on(), report: () => {} }, T), flowmapFingerprint(on(), T), "a report callback is not a setting");
});

test("every setting the rows depend on changes it", () => {
  const base = flowmapFingerprint(on("order=eventType:^Order"), T);
  const changed = [
    flowmapFingerprint(on("orders=eventType:^Order"), T),
    flowmapFingerprint(on("order=eventType:^Orders"), T),
    flowmapFingerprint(on("order=topic:^Order"), T),
    flowmapFingerprint(on("order=eventType:^Order;refund=topic:^r"), T),
    flowmapFingerprint(on(""), T),
    flowmapFingerprint(on("order=eventType:^Order"), /(Completed|Cancelled)$/),
    flowmapFingerprint(on("order=eventType:^Order"), /Completed$/i),
    flowmapFingerprint(on("order=eventType:^Order", 999), T),
  ];
  for (const c of changed) assert.notEqual(c, base);
  assert.equal(new Set(changed).size, changed.length);
});

test("off is off, whatever else is set", () => {
  assert.equal(flowmapFingerprint({ ...on("order=eventType:^Order"), enabled: false }, T), MAP_OFF);
  assert.notEqual(flowmapFingerprint(on(), T), MAP_OFF);
});
