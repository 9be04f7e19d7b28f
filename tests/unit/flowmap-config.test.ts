// FLOWTAP_FLOW_TYPES and FLOWTAP_FLOWMAP: the two syntaxes, and one clear line when wrong.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ConfigError, parseConfig } from "../../server/config";
import { FLOWMAP_MAX_EVENTS } from "../../server/flowmap/options";

const rules = (v: string) => parseConfig({ FLOWTAP_FLOW_TYPES: v }).flowmap.flowTypes;
const describeRules = (v: string) => rules(v).map((r) => ("eventType" in r ? [r.name, "eventType", r.eventType.source] : [r.name, "topic", r.topic.source]));

test("defaults: on, no rules, the cap", () => {
  assert.deepEqual(parseConfig({}).flowmap, { enabled: true, flowTypes: [], maxEvents: FLOWMAP_MAX_EVENTS });
  assert.equal(parseConfig({ FLOWTAP_FLOWMAP: "off" }).flowmap.enabled, false);
});

test("name=eventType:REGEX;name=topic:REGEX, in order; a regex may hold ';' and '='", () => {
  assert.deepEqual(describeRules("order=eventType:^Order(Created|Placed)$; refund = topic:^refunds\\.;odd=eventType:a;b=c{1,2}"), [
    ["order", "eventType", "^Order(Created|Placed)$"],
    ["refund", "topic", "^refunds\\."],
    ["odd", "eventType", "a;b=c{1,2}"],
  ]);
  assert.ok(rules("Order Flow=EVENTTYPE:^Order")[0]!.name === "Order Flow");
});

test("or a JSON array", () => {
  assert.deepEqual(describeRules('[{"name":"order","eventType":"^Order"},{"name":"refund","topic":"^refunds\\\\."}]'), [
    ["order", "eventType", "^Order"],
    ["refund", "topic", "^refunds\\."],
  ]);
});

test("bad rules stop the start with one line naming the variable", () => {
  for (const bad of ["order", "order=kind:^x", "=eventType:^x", "order=eventType:(", "order=eventType:", '[{"name":"x"}]', "[{", '[{"name":"x","eventType":"a","topic":"b"}]', `${"n".repeat(101)}=topic:x`]) {
    assert.throws(() => parseConfig({ FLOWTAP_FLOW_TYPES: bad }), (err: unknown) => {
      assert.ok(err instanceof ConfigError, bad);
      assert.match(err.message, /^Invalid configuration: FLOWTAP_FLOW_TYPES: /, bad);
      assert.ok(!err.message.includes("\n"), bad);
      return true;
    });
  }
  assert.throws(() => parseConfig({ FLOWTAP_FLOWMAP: "maybe" }), /FLOWTAP_FLOWMAP/);
});
