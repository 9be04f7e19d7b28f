// The /metrics text, parsed back by a strict exposition parser: escaping of hostile label values,
// kafka-lag-exporter's names and label sets, and the flow histogram's buckets (cumulative,
// monotonic, +Inf = _count) mapped from the flow map's log buckets.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { GROWTH, MAX_BUCKET, bucketOf } from "../../server/analysis/sketch";
import { LE_SECONDS, TOP_TRANSITIONS, bucketUpperMs, toPromHistogram, transitionHistogram } from "../../server/flowmap/metrics";
import { escapeLabelValue, family, formatValue, renderFamilies } from "../../server/lag/exposition";
import { kafkaLagExporterFamilies, type CompatGroup } from "../../server/lag/prometheus-compat";
import { checkHistograms, parseExposition } from "./metrics-exposition-parser";

/** What a UTF-8 body carries for a JS string: lone surrogates become U+FFFD. */
const utf8 = (s: string) => Buffer.from(s, "utf8").toString("utf8");
const anyUtf16 = fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 40 }).map((codes) => String.fromCharCode(...codes));

describe("exposition format", () => {
  test("label values survive any UTF-16 string, quotes, backslashes and line feeds included", () => {
    fc.assert(fc.property(anyUtf16, anyUtf16, (group, help) => {
      const body = utf8(renderFamilies([family("flowtap_x", "gauge", help, [[{ group, topic: 't"\\\n' }, 1]])]));
      const parsed = parseExposition(body).get("flowtap_x")!;
      assert.equal(parsed.help, utf8(help));
      assert.deepEqual(parsed.samples[0]!.labels, { group: utf8(group), topic: 't"\\\n' });
    }), { numRuns: 500 });
  });

  test("escapes exactly backslash, double quote and line feed", () => {
    assert.equal(escapeLabelValue('a\\b"c\nd'), 'a\\\\b\\"c\\nd');
    assert.equal(escapeLabelValue("\uD800x"), "\uFFFDx");
  });

  test("values: 64-bit offsets as written, NaN and infinities as the format spells them", () => {
    assert.deepEqual(["9223372036854775807", 1.5, NaN, Infinity, -Infinity, "garbage"].map(formatValue), ["9223372036854775807", "1.5", "NaN", "+Inf", "-Inf", "NaN"]);
  });

  test("bad metric or label names are refused (they are ours: a bug)", () => {
    assert.throws(() => renderFamilies([family("flowtap-x", "gauge", "", [])]));
    assert.throws(() => renderFamilies([family("flowtap_x", "gauge", "", [[{ "bad-name": "v" }, 1]])]));
    assert.throws(() => renderFamilies([family("flowtap_x", "gauge", "", [[{ __reserved: "v" }, 1]])]));
  });
});

describe("kafka-lag-exporter names and labels", () => {
  const groups: CompatGroup[] = [
    {
      group: "billing",
      assignments: { "c-1-uuid": { clientId: "c-1", host: "/10.0.0.7", assignment: { orders: [0] } } },
      partitions: [
        { topic: "orders", partition: 0, committed: "90", lag: 10, timeLagSeconds: 4 },
        { topic: "orders", partition: 1, committed: "50", lag: 25, timeLagSeconds: 40 },
        { topic: "payments", partition: 0, committed: null, lag: null, timeLagSeconds: null },
      ],
    },
  ];
  const body = renderFamilies(kafkaLagExporterFamilies("prod", groups, [{ topic: "orders", partition: 0, latest: "100", earliest: "3" }]));
  const parsed = parseExposition(body);
  const one = (name: string) => parsed.get(name)!.samples;

  test("per partition: cluster_name, group, topic, partition, member_host, consumer_id, client_id; unassigned is unknown", () => {
    const lag = one("kafka_consumergroup_group_lag");
    assert.deepEqual(lag.map((s) => Object.keys(s.labels)), Array(2).fill(["cluster_name", "group", "topic", "partition", "member_host", "consumer_id", "client_id"]));
    assert.deepEqual(lag[0], { name: "kafka_consumergroup_group_lag", value: 10, labels: { cluster_name: "prod", group: "billing", topic: "orders", partition: "0", member_host: "/10.0.0.7", consumer_id: "c-1-uuid", client_id: "c-1" } });
    assert.deepEqual([lag[1]!.labels.member_host, lag[1]!.labels.consumer_id, lag[1]!.labels.client_id], ["unknown", "unknown", "unknown"]);
    assert.deepEqual(one("kafka_consumergroup_group_offset").map((s) => s.value), [90, 50], "no commit: no series");
    assert.deepEqual(one("kafka_consumergroup_group_lag_seconds").map((s) => s.value), [4, 40]);
  });

  test("per group, per group topic and per partition", () => {
    assert.deepEqual(one("kafka_consumergroup_group_max_lag"), [{ name: "kafka_consumergroup_group_max_lag", labels: { cluster_name: "prod", group: "billing" }, value: 25 }]);
    assert.equal(one("kafka_consumergroup_group_max_lag_seconds")[0]!.value, 40);
    assert.equal(one("kafka_consumergroup_group_sum_lag")[0]!.value, 35);
    assert.deepEqual(one("kafka_consumergroup_group_topic_sum_lag"), [
      { name: "kafka_consumergroup_group_topic_sum_lag", labels: { cluster_name: "prod", group: "billing", topic: "orders" }, value: 35 },
    ]);
    assert.deepEqual(one("kafka_partition_latest_offset")[0]!.labels, { cluster_name: "prod", topic: "orders", partition: "0" });
    assert.equal(one("kafka_partition_earliest_offset")[0]!.value, 3);
    for (const f of parsed.values()) assert.equal(f.type, "gauge");
  });
});

describe("transition histogram from log buckets", () => {
  test("bucket edges: 0 ms counts under every bound, the open last bucket only under +Inf", () => {
    const h = toPromHistogram([[0, 2], [MAX_BUCKET, 1]]);
    assert.deepEqual(h.cumulative, [...LE_SECONDS.map(() => 2), 3]);
    assert.equal(h.count, 3);
  });

  test("a log bucket counts under the first bound at or above its upper edge, never a faster one", () => {
    for (let b = 1; b < MAX_BUCKET; b++) {
      const h = toPromHistogram([[b, 1]]);
      const i = h.cumulative.findIndex((c) => c === 1);
      const le = i < LE_SECONDS.length ? LE_SECONDS[i]! * 1000 : Infinity;
      assert.ok(bucketUpperMs(b) <= le, `bucket ${b} under le=${le}`);
      if (i > 0) assert.ok(bucketUpperMs(b) > LE_SECONDS[i - 1]! * 1000, `bucket ${b} could have gone lower`);
    }
    // 800 ms falls in a bucket ending below 1 s; 1,005 ms in one ending at 1,009.7 ms, counted under 2.5 s.
    assert.equal(toPromHistogram([[bucketOf(800), 1]]).cumulative[LE_SECONDS.indexOf(1)], 1);
    assert.equal(toPromHistogram([[bucketOf(1005), 1]]).cumulative[LE_SECONDS.indexOf(1)], 0);
    assert.ok(Math.abs(GROWTH ** bucketOf(1005) - 1009.7) < 0.1);
  });

  test("any bucket counts: cumulative, monotonic, +Inf = count, sum finite and within the buckets' range", () => {
    const buckets = fc.array(fc.tuple(fc.integer({ min: -3, max: MAX_BUCKET + 3 }), fc.oneof(fc.nat(), fc.constant(-5), fc.constant(NaN), fc.constant(Infinity))), { maxLength: 40 });
    fc.assert(fc.property(buckets, (bs) => {
      const h = toPromHistogram(bs);
      for (let i = 1; i < h.cumulative.length; i++) assert.ok(h.cumulative[i]! >= h.cumulative[i - 1]!);
      assert.equal(h.cumulative.at(-1), h.count);
      assert.ok(Number.isFinite(h.sum) && h.sum >= 0);
      assert.equal(h.count, bs.reduce((s, [, n]) => s + (Number.isFinite(n) && n > 0 ? n : 0), 0));
    }), { numRuns: 500 });
  });

  test(`at most ${TOP_TRANSITIONS} transitions keep their steps; the rest of each type is other→other, and the text parses`, () => {
    const rows = Array.from({ length: 80 }, (_, i) => ({
      flow_type: i % 2 ? "Order" : "Refund", from_service: `s${i}`, from_event_type: 'A"\\', to_service: `t${i}`, to_event_type: "B\n", bucket: (i % 30) + 1, flows: 80 - i,
    }));
    const f = transitionHistogram(rows);
    const parsed = parseExposition(renderFamilies([f]));
    checkHistograms(parsed);
    const counts = parsed.get("flowtap_flow_transition_seconds")!.samples.filter((s) => s.name.endsWith("_count"));
    assert.equal(counts.length, TOP_TRANSITIONS + 2);
    const others = counts.filter((s) => s.labels.from_service === "other");
    const rest = (type: string) => sumOf(rows.slice(TOP_TRANSITIONS).filter((r) => r.flow_type === type));
    assert.deepEqual(others.map((s) => [s.labels.flow_type, s.value]), [["Order", rest("Order")], ["Refund", rest("Refund")]]);
    assert.equal(counts.reduce((s, c) => s + c.value, 0), sumOf(rows));
  });
});

function sumOf(rows: ReadonlyArray<{ flows: number }>): number {
  return rows.reduce((s, r) => s + r.flows, 0);
}
