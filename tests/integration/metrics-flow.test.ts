// GET /metrics through its route handler (PGlite runtime), with flow-map aggregate rows and a
// lag group inserted directly: every line parses, histograms hold their rules, the flow counters,
// stuck gauge and transition histogram say what the rows say, cardinality is capped with
// "other", hostile names are escaped, and PostgreSQL gives the same flow families.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { bucketOf } from "../../server/analysis/sketch";
import { openStore, type Store } from "../../server/db/client";
import { LE_SECONDS } from "../../server/flowmap/metrics";
import { renderMetrics } from "../../server/lag/prometheus";
import { readTapStatus } from "../../server/tap/tap-status";
import { checkHistograms, parseExposition, type ParsedFamily } from "../unit/metrics-exposition-parser";
import { freshDatabase, tempDir } from "./harness";

type Route = typeof import("../../app/metrics/route");
type Runtime = typeof import("../../server/runtime");
let route: Route;
let runtime: Runtime;
let pg: Store;

const HOSTILE = 'Order "x"\n\\ü';
const MIN = 60_000;
const HOUR = 60 * MIN;
const ZERO = "1970-01-01T00:00:00Z";
const iso = (ms: number) => new Date(ms).toISOString();

/** Aggregate rows as the tap would leave them: grain 0 for all time, and each open stop at its minute and its hour. */
async function seed(s: Store, now: number): Promise<void> {
  const types: Array<[string, number]> = [[HOSTILE, 1000], ...Array.from({ length: 25 }, (_, i): [string, number] => [`T${String(i).padStart(2, "0")}`, 100 - i])];
  for (const [type, flows] of types) {
    await s.rows(sql`INSERT INTO flowmap_flows (grain, t, flow_type, flows, completed, dlq) VALUES (0, ${ZERO}::timestamptz, ${type}, ${flows}, ${Math.floor(flows / 2)}, 1)`);
  }
  for (let i = 0; i < 60; i++) {
    await s.rows(sql`INSERT INTO flowmap_steps (grain, t, flow_type, service, event_type, flows) VALUES (0, ${ZERO}::timestamptz, ${HOSTILE}, ${`svc-${i}`}, ${`Ev${i}`}, ${600 - i})`);
  }
  await s.rows(sql`INSERT INTO flowmap_steps (grain, t, flow_type, service, event_type, flows) VALUES (0, ${ZERO}::timestamptz, 'T00', 'a', 'A', 100), (0, ${ZERO}::timestamptz, 'T24', 'b', 'B', 76)`);
  await s.rows(sql`INSERT INTO flowmap_stops (grain, t, flow_type, service, event_type, status, flows) VALUES
    (0, ${ZERO}::timestamptz, ${HOSTILE}, 'svc-0', 'Ev0', 'open', 7), (0, ${ZERO}::timestamptz, ${HOSTILE}, 'svc-0', 'Ev0', 'completed', 3),
    (0, ${ZERO}::timestamptz, ${HOSTILE}, 'svc-55', 'Ev55', 'dlq', 2)`);
  const cutoff = now - 300_000;
  const stops: Array<[number, number, string]> = [
    [Math.floor((cutoff - MIN) / MIN) * MIN, 4, "open"], // stuck
    [Math.floor((now - 2 * HOUR) / MIN) * MIN, 6, "open"], // stuck
    [Math.floor((now - MIN) / MIN) * MIN, 5, "open"], // too recent
    [Math.floor((now - 8 * 24 * HOUR) / MIN) * MIN, 50, "open"], // past retention (7 days)
    [Math.floor((cutoff - MIN) / MIN) * MIN, 9, "completed"], // not open
  ];
  for (const [minute, flows, status] of stops) {
    for (const [grain, t] of [[60, minute], [3600, Math.floor(minute / HOUR) * HOUR]] as const) {
      await s.rows(sql`INSERT INTO flowmap_stops AS x (grain, t, flow_type, service, event_type, status, flows)
        VALUES (${grain}, ${iso(t)}::timestamptz, ${HOSTILE}, 'svc-0', 'Ev0', ${status}, ${flows})
        ON CONFLICT ON CONSTRAINT flowmap_stops_pk DO UPDATE SET flows = x.flows + excluded.flows`);
    }
  }
  const buckets: Array<[number, number]> = [[0, 1], [bucketOf(200), 10], [bucketOf(3000), 5]];
  for (const [grain, scale] of [[0, 1], [60, 100]] as const) {
    for (const [bucket, flows] of buckets) {
      await s.rows(sql`INSERT INTO flowmap_transitions (grain, t, flow_type, from_service, from_event_type, to_service, to_event_type, bucket, flows)
        VALUES (${grain}, ${grain ? iso(now - HOUR) : ZERO}::timestamptz, ${HOSTILE}, 'svc-0', 'Ev0', 'svc-1', 'Ev1', ${bucket}, ${flows * scale})`);
    }
  }
  await s.rows(sql`INSERT INTO lag_groups (group_id, state, members, assignments, status, reason, partitions, sampled_at) VALUES
    ('billing', 'Stable', 1, ${JSON.stringify({ "m-1": { clientId: "billing-1", host: "/10.1.2.3", assignment: { orders: [0] } } })}::jsonb, 'OK', 'ok',
     ${JSON.stringify([{ groupId: "billing", topic: "orders", partition: 0, committed: "90", end: "100", lag: 10, timeLagSeconds: 3, timeLagSource: "record", status: "OK", reason: "" }])}::jsonb, now())`);
  await s.rows(sql`INSERT INTO offset_samples (topic, partition, t, end_offset, start_offset) VALUES ('orders', 0, now(), 100, 7)`);
}

before(async () => {
  const dir = tempDir("metrics-");
  Object.assign(process.env, { FLOWTAP_DATA_DIR: join(dir, "data"), FLOWTAP_TAP: "off", FLOWTAP_AUTH: "off", FLOWTAP_STUCK_AFTER_S: "300", FLOWTAP_RETENTION_DAYS: "7", KAFKA_BROKERS: "127.0.0.1:1" });
  delete process.env.DATABASE_URL;
  runtime = await import("../../server/runtime");
  route = await import("../../app/metrics/route");
  const now = Date.now();
  await seed(await runtime.getRuntime().store, now);
  pg = await openStore({ databaseUrl: await freshDatabase(), dataDir: dir });
  await seed(pg, now);
});

after(async () => {
  await (await runtime.getRuntime().store).close();
  await pg?.close();
});

const value = (f: ParsedFamily | undefined, labels: Record<string, string>, name = f?.name) =>
  f?.samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
const flowFamilies = (m: Map<string, ParsedFamily>) => [...m.values()].filter((f) => f.name.startsWith("flowtap_flow_"));

test("/metrics parses line by line, and says what the aggregate rows say", async () => {
  const res = await route.GET(new Request("http://127.0.0.1/metrics"));
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /^text\/plain; version=0\.0\.4/);
  const m = parseExposition(await res.text());
  checkHistograms(m);

  const started = m.get("flowtap_flow_started_total")!;
  assert.equal(started.type, "counter");
  assert.equal(value(started, { flow_type: HOSTILE }), 1000, "hostile names survive escaping");
  assert.equal(started.samples.length, 21, "top 20 types and other");
  assert.equal(value(started, { flow_type: "other" }), 81 + 80 + 79 + 78 + 77 + 76);

  const steps = m.get("flowtap_flow_step_reached_total")!;
  assert.equal(value(steps, { flow_type: HOSTILE, service: "svc-0", event_type: "Ev0" }), 600);
  assert.equal(value(steps, { flow_type: HOSTILE, service: "other", event_type: "other" }), [...Array(10).keys()].reduce((s, i) => s + 550 - i, 0), "steps past the top 50");
  assert.equal(value(steps, { flow_type: "T00", service: "other" }), 100);
  assert.equal(value(steps, { flow_type: "other", service: "other", event_type: "other" }), 76);
  assert.ok(steps.samples.length <= 50 + 21);

  const stops = m.get("flowtap_flow_stops")!;
  assert.equal(stops.type, "gauge");
  assert.equal(value(stops, { flow_type: HOSTILE, service: "svc-0", status: "open" }), 7);
  assert.equal(value(stops, { flow_type: HOSTILE, service: "other", status: "dlq" }), 2);

  assert.deepEqual(m.get("flowtap_flow_stuck")!.samples.map((s) => [s.labels.service, s.value]), [["svc-0", 10]], "minute and hour rows, counted once, within retention");

  const h = m.get("flowtap_flow_transition_seconds")!;
  const labels = { flow_type: HOSTILE, from_service: "svc-0", to_service: "svc-1" };
  assert.equal(value(h, labels, "flowtap_flow_transition_seconds_count"), 16, "grain 0 only");
  assert.equal(value(h, { ...labels, le: "0.25" }, "flowtap_flow_transition_seconds_bucket"), 11);
  assert.equal(value(h, { ...labels, le: "5" }, "flowtap_flow_transition_seconds_bucket"), 16);
  assert.equal(h.samples.filter((s) => s.name.endsWith("_bucket")).length, LE_SECONDS.length + 1);
  assert.match(h.help ?? "", /approximate/);

  const lag = m.get("kafka_consumergroup_group_lag")!;
  assert.deepEqual(lag.samples[0]!.labels, { cluster_name: "127.0.0.1:1", group: "billing", topic: "orders", partition: "0", member_host: "/10.1.2.3", consumer_id: "m-1", client_id: "billing-1" });
  assert.equal(value(m.get("kafka_partition_earliest_offset"), { topic: "orders" }), 7);
  assert.equal(value(m.get("flowtap_consumergroup_lag"), { group: "billing" }), 10, "today's names stay");
});

test("PostgreSQL gives the same flow families as PGlite", async () => {
  const now = new Date();
  const opts = { clusterName: "c", stuckAfterMs: 300_000, retentionDays: 7 };
  const lite = await runtime.getRuntime().store;
  const a = parseExposition(await renderMetrics(lite, await readTapStatus(lite), now, opts));
  const b = parseExposition(await renderMetrics(pg, await readTapStatus(pg), now, opts));
  assert.deepEqual(flowFamilies(b), flowFamilies(a));
  assert.ok(flowFamilies(a).every((f) => f.samples.length > 0));
});
