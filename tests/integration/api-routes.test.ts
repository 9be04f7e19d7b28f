// The route handlers themselves, over the process runtime (PGlite, the tap in-process),
// against a broker of this test's own that it stops: health must say Kafka is gone within
// 10 s while the read API keeps answering from the index. Malformed requests get a 4xx.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { startKafka, type KafkaBroker } from "../../scripts/lib/kafka-broker";
import { createTopics, produce, tempDir, uniqueName, waitFor } from "./harness";

let broker: KafkaBroker;
const topic = uniqueName("api.orders-");
const cid = uniqueName("api-flow-");
type Routes = {
  health: typeof import("../../app/api/health/route");
  search: typeof import("../../app/api/search/route");
  flows: typeof import("../../app/api/flows/route");
  flow: typeof import("../../app/api/flows/[correlationId]/route");
  record: typeof import("../../app/api/records/[topic]/[partition]/[offset]/route");
  runtime: typeof import("../../server/runtime");
};
let r: Routes;

const get = (url: string) => new Request(`http://127.0.0.1${url}`);
const body = async (res: Response) => (await res.json()) as Record<string, unknown>;
const recordGet = (topic: string, partition: string, offset: string) =>
  r.record.GET(get("/api/records/x/0/0"), { params: Promise.resolve({ topic, partition, offset }) });
const flowGet = (id: string) => r.flow.GET(get(`/api/flows/x`), { params: Promise.resolve({ correlationId: id }) });

before(async () => {
  const dir = tempDir("api-");
  broker = await startKafka({ dataDir: join(dir, "kafka"), log: () => {} });
  Object.assign(process.env, {
    KAFKA_BROKERS: broker.brokers,
    FLOWTAP_DATA_DIR: join(dir, "data"),
    FLOWTAP_TOPICS_INCLUDE: "^api\\.orders-",
    FLOWTAP_TOPIC_REFRESH_S: "2",
    FLOWTAP_TAP_GROUP: uniqueName("ft-api-"),
    // No users file here: open mode on purpose (sign-in is tested in auth-*.test.ts).
    FLOWTAP_AUTH: "off",
  });
  delete process.env.DATABASE_URL;
  r = {
    health: await import("../../app/api/health/route"),
    search: await import("../../app/api/search/route"),
    flows: await import("../../app/api/flows/route"),
    flow: await import("../../app/api/flows/[correlationId]/route"),
    record: await import("../../app/api/records/[topic]/[partition]/[offset]/route"),
    runtime: await import("../../server/runtime"),
  };
  await createTopics([{ topic }], broker.brokers);
  await produce(topic, [
    { key: "o-1", value: JSON.stringify({ type: "OrderCreated", eventId: "api-e1" }), headers: { "x-correlation-id": cid } },
    { key: "o-1", value: JSON.stringify({ type: "OrderCompleted", eventId: "api-e2" }), headers: { "x-correlation-id": cid } },
  ], broker.brokers);
  await r.runtime.startBackgroundWork();
});

after(async () => {
  await r.runtime.getRuntime().workers?.stop();
  await (await r.runtime.getRuntime().store).close();
  await broker.stop();
});

test("health reports the tap, Kafka and the store", async () => {
  const h = await waitFor("the tap to report itself", async () => {
    const b = await body(await r.health.GET(get("/api/health")));
    return (b.tap as { running: boolean }).running ? b : null;
  });
  assert.equal((h.kafka as { ok: boolean }).ok, true);
  assert.deepEqual(h.db, { ok: true, kind: "pglite" });
});

test("search and flow answer from the index", async () => {
  await waitFor("the flow indexed", async () => (await flowGet(cid)).status === 200);
  const flow = await body(await flowGet(cid));
  assert.deepEqual((flow.events as Array<{ eventType: string }>).map((e) => e.eventType), ["OrderCreated", "OrderCompleted"]);
  const search = await body(await r.search.GET(get(`/api/search?q=${encodeURIComponent(" api-e2 ")}`)));
  assert.equal((search.results as Array<{ correlationId: string }>)[0]?.correlationId, cid);
  const flows = await body(await r.flows.GET(get("/api/flows?status=completed&limit=10")));
  assert.ok((flows.flows as Array<{ correlationId: string; completed: boolean }>).some((f) => f.correlationId === cid && f.completed));
});

test("malformed requests are 4xx with a message", async () => {
  const cases: Array<[Promise<Response>, number, RegExp]> = [
    [r.search.GET(get("/api/search")), 400, /^q: /],
    [r.search.GET(get("/api/search?q=%20%20")), 400, /q: must not be empty/],
    [r.search.GET(get(`/api/search?q=${"x".repeat(10_001)}`)), 400, /longer than/],
    [r.flows.GET(get("/api/flows?limit=0")), 400, /^limit: /],
    [r.flows.GET(get("/api/flows?limit=ten")), 400, /^limit: /],
    [r.flows.GET(get("/api/flows?status=weird")), 400, /^status: /],
    [r.flows.GET(get("/api/flows?before=not-a-cursor")), 400, /before: /],
    [flowGet("   "), 400, /correlationId: must not be empty/],
    [flowGet(`<script>alert(1)</script>`), 404, /no events indexed/],
    // A refinement once ran BigInt("1e999") after the regex had failed: a 500 that quoted the offset.
    [recordGet(topic, "0", "1e999"), 400, /^offset: must be an integer from 0 to 2\^63 - 1$/],
    [recordGet(topic, "0", "9223372036854775808"), 400, /^offset: /],
    [recordGet(topic, "-1", "0"), 400, /^partition: /],
    [recordGet("a/b", "0", "0"), 400, /^topic: is not a Kafka topic name/],
  ];
  for (const [pending, status, message] of cases) {
    const res = await pending;
    const b = await body(res);
    assert.equal(res.status, status, JSON.stringify(b));
    assert.match(String(b.error), message);
  }
});

test("Kafka unreachable: health says so within 10 s, reads keep working", async () => {
  await broker.stop();
  const stopped = Date.now();
  const h = await waitFor("health to report Kafka down", async () => {
    const b = await body(await r.health.GET(get("/api/health")));
    return (b.kafka as { ok: boolean }).ok ? null : b;
  }, { timeoutMs: 10_000, intervalMs: 250 });
  assert.ok(Date.now() - stopped <= 10_000);
  assert.equal(h.ok, false);
  assert.match(String((h.kafka as { error: string }).error), /.+/);
  const flow = await flowGet(cid);
  assert.equal(flow.status, 200, "the index still answers");
});
