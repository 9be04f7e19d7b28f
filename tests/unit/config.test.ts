import { test } from "node:test";
import assert from "node:assert/strict";
import { ConfigError, parseConfig } from "../../server/config";

test("defaults follow the contract", () => {
  const c = parseConfig({});
  assert.deepEqual(c.kafka.brokers, ["127.0.0.1:9092"]);
  assert.equal(c.databaseUrl, null);
  assert.equal(c.dataDir, ".flowtap");
  assert.equal(c.tapEnabled, true);
  assert.equal(c.tapGroup, "flowtap-tap");
  assert.equal(c.retentionDays, 7);
  assert.equal(c.port, 3000);
  assert.ok(c.topicsExclude.test("__consumer_offsets") && c.topicsExclude.test("_schemas"));
  assert.ok(!c.topicsExclude.test("orders.created"));
  assert.ok(c.terminalEvents.test("OrderCompleted") && !c.terminalEvents.test("PaymentFailed"));
});

test("environment values are parsed and typed", () => {
  const c = parseConfig({
    KAFKA_BROKERS: "a:9092, b:9093",
    DATABASE_URL: "postgres://u:p@db:5432/flowtap",
    FLOWTAP_TAP: "off",
    FLOWTAP_RETENTION_DAYS: "30",
    FLOWTAP_CORRELATION_RULES: "header:x-req,path:ctx.cid",
    KAFKA_SASL_MECHANISM: "scram-sha-512",
    KAFKA_SASL_USERNAME: "u",
    KAFKA_SASL_PASSWORD: "p",
    KAFKA_SSL: "true",
  });
  assert.deepEqual(c.kafka.brokers, ["a:9092", "b:9093"]);
  assert.equal(c.tapEnabled, false);
  assert.equal(c.retentionDays, 30);
  assert.deepEqual(c.extract.correlationRules, [{ header: "x-req" }, { path: "ctx.cid" }]);
  assert.deepEqual(c.kafka.sasl, { mechanism: "scram-sha-512", username: "u", password: "p" });
  assert.equal(c.kafka.ssl, true);
});

test("a bad variable fails with one line that names it", () => {
  const cases: Array<[Record<string, string>, string]> = [
    [{ KAFKA_BROKERS: "localhost" }, "KAFKA_BROKERS"],
    [{ DATABASE_URL: "mysql://x" }, "DATABASE_URL"],
    [{ FLOWTAP_TOPICS_INCLUDE: "([" }, "FLOWTAP_TOPICS_INCLUDE"],
    [{ FLOWTAP_TAP: "maybe" }, "FLOWTAP_TAP"],
    [{ FLOWTAP_RETENTION_DAYS: "0" }, "FLOWTAP_RETENTION_DAYS"],
    [{ FLOWTAP_RETENTION_DAYS: "seven" }, "FLOWTAP_RETENTION_DAYS"],
    [{ PORT: "70000" }, "PORT"],
    [{ FLOWTAP_CORRELATION_RULES: "cookie:x" }, "FLOWTAP_CORRELATION_RULES"],
    [{ KAFKA_SASL_MECHANISM: "plain", KAFKA_SASL_PASSWORD: "p" }, "KAFKA_SASL_USERNAME"],
    [{ FLOWTAP_TOPIC_REFRESH_S: "60" }, "FLOWTAP_TOPIC_REFRESH_S"],
  ];
  for (const [env, name] of cases) {
    assert.throws(
      () => parseConfig(env),
      (err: unknown) => err instanceof ConfigError && err.message.includes(name) && !err.message.includes("\n"),
      `${JSON.stringify(env)} must fail naming ${name}`,
    );
  }
});

test("empty strings count as unset", () => {
  assert.deepEqual(parseConfig({ KAFKA_BROKERS: "", DATABASE_URL: "" }).kafka.brokers, ["127.0.0.1:9092"]);
});
