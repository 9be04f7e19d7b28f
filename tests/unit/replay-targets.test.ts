// Which topics a replay may write to: FLOWTAP_REPLAY_TARGETS, or by default the tap's include
// pattern minus internal topics (_…, _schemas, Connect's config/offsets/status) and dead-letter
// topics. Outside it a record is refused unless its target topic is named in allowTargets.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ConfigError, parseConfig } from "../../server/config";
import { replayTargets, targetRefusal } from "../../server/replay/targets";

test("default: everything the tap watches except internal, Connect and dead-letter topics", () => {
  const t = replayTargets(parseConfig({}));
  for (const ok of ["orders", "payments.v1", "connector-events", "my-connect-stuff", "schemas"]) assert.equal(targetRefusal(t, ok), null, ok);
  const refused: Array<[string, RegExp]> = [
    ["_schemas", /internal/],
    ["__consumer_offsets", /internal/],
    ["connect-configs", /internal/],
    ["connect-offsets", /internal/],
    ["connect-status", /internal/],
    ["connect-cluster-a-configs", /internal/],
    ["orders.DLT", /dead-letter/],
    ["orders-dlq", /dead-letter/],
    ["dlq-sink", /dead-letter/],
  ];
  for (const [topic, why] of refused) assert.match(targetRefusal(t, topic) ?? "allowed", why, topic);
});

test("default follows the tap's include pattern and the extractor's dead-letter pattern", () => {
  const t = replayTargets(parseConfig({ FLOWTAP_TOPICS_INCLUDE: "^shop\\.", FLOWTAP_DLQ_PATTERN: "\\.broken$" }));
  assert.equal(targetRefusal(t, "shop.orders"), null);
  assert.match(targetRefusal(t, "billing.orders") ?? "allowed", /FLOWTAP_TOPICS_INCLUDE/);
  assert.match(targetRefusal(t, "shop.orders.broken") ?? "allowed", /dead-letter/);
  assert.equal(targetRefusal(t, "shop.orders.DLT"), null, "the configured pattern replaces the default one");
});

test("FLOWTAP_REPLAY_TARGETS replaces the default, and a bad one stops the start", () => {
  const c = parseConfig({ FLOWTAP_REPLAY_TARGETS: "^(orders|payments)$" });
  const t = replayTargets(c);
  assert.equal(targetRefusal(t, "orders"), null);
  assert.match(targetRefusal(t, "shipments") ?? "allowed", /FLOWTAP_REPLAY_TARGETS/);
  assert.match(targetRefusal(t, "connect-configs") ?? "allowed", /FLOWTAP_REPLAY_TARGETS/);
  assert.throws(() => parseConfig({ FLOWTAP_REPLAY_TARGETS: "(" }), (e: Error) => e instanceof ConfigError && /FLOWTAP_REPLAY_TARGETS/.test(e.message));
});

test("only a topic named in allowTargets passes the limit, exactly by name", () => {
  const t = replayTargets(parseConfig({}));
  assert.equal(targetRefusal(t, "connect-configs", ["connect-configs"]), null);
  assert.notEqual(targetRefusal(t, "connect-configs", ["connect-.*"]), null, "names, not patterns");
  assert.notEqual(targetRefusal(t, "connect-configs", ["_schemas"]), null, "another name does not help");
  assert.match(targetRefusal(t, "connect-configs") ?? "", /allowTargets/, "the reason says how to override");
});
