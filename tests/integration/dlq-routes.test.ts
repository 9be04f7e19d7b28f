// The dead-letter route handlers over the process runtime (PostgreSQL, the tap in-process):
// JSON shapes on the way out, a 404 for a topic without dead letters, a 400 naming the
// parameter for every malformed request.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createTopics, freshDatabase, produce, tempDir, uniqueName, waitFor, brokers } from "./harness";

const prefix = uniqueName("ft-dlqr-");
const dlt = `${prefix}.payments.DLT`;
const plain = `${prefix}.payments`;
type Routes = {
  topics: typeof import("../../app/api/dlq/route");
  messages: typeof import("../../app/api/dlq/[topic]/route");
  record: typeof import("../../app/api/dlq/[topic]/[partition]/[offset]/route");
  runtime: typeof import("../../server/runtime");
};
let r: Routes;

const get = (url: string) => new Request(`http://127.0.0.1${url}`);
const body = async (res: Response) => (await res.json()) as Record<string, unknown>;
const messages = (topic: string, qs = "") => r.messages.GET(get(`/api/dlq/x${qs}`), { params: Promise.resolve({ topic }) });
const record = (topic: string, partition: string, offset: string) =>
  r.record.GET(get("/api/dlq/x/0/0"), { params: Promise.resolve({ topic, partition, offset }) });

before(async () => {
  Object.assign(process.env, {
    KAFKA_BROKERS: brokers(),
    DATABASE_URL: await freshDatabase(),
    FLOWTAP_DATA_DIR: tempDir("dlqr-"),
    FLOWTAP_TOPICS_INCLUDE: `^${prefix}\\.`,
    FLOWTAP_TOPIC_REFRESH_S: "2",
    FLOWTAP_TAP_GROUP: uniqueName("ft-dlqr-"),
    // No users file here: open mode on purpose (sign-in is tested in auth-*.test.ts).
    FLOWTAP_AUTH: "off",
  });
  r = {
    topics: await import("../../app/api/dlq/route"),
    messages: await import("../../app/api/dlq/[topic]/route"),
    record: await import("../../app/api/dlq/[topic]/[partition]/[offset]/route"),
    runtime: await import("../../server/runtime"),
  };
  await createTopics([{ topic: dlt }, { topic: plain }]);
  const failure = (i: number) => ({
    key: `k${i}`,
    value: JSON.stringify({ n: i }),
    headers: {
      "kafka_dlt-original-topic": plain,
      "kafka_dlt-exception-message": i % 2 ? "odd" : "even",
      "kafka_dlt-exception-stacktrace": `java.lang.IllegalStateException: ${i}\n\tat x.Y.z(Y.java:1)`,
    },
  });
  await produce(dlt, [0, 1, 2].map(failure));
  await produce(plain, [{ value: "{}" }]);
  await r.runtime.startBackgroundWork();
});

after(async () => {
  await r.runtime.getRuntime().workers?.stop();
  await (await r.runtime.getRuntime().store).close();
});

test("GET /api/dlq lists the dead-letter topic with its reasons", async () => {
  const res = await waitFor("the dead letters indexed", async () => {
    const b = await body(await r.topics.GET(get("/api/dlq")));
    const t = (b.topics as Array<{ topic: string; messages: number }>).find((x) => x.topic === dlt);
    return t?.messages === 3 ? b : null;
  });
  const [topic] = res.topics as Array<Record<string, unknown>>;
  assert.deepEqual(
    { ...topic, oldest: typeof topic!.oldest, newest: typeof topic!.newest, lastIndexedAt: typeof topic!.lastIndexedAt },
    {
      topic: dlt, sourceTopic: plain, messages: 3, oldest: "string", newest: "string", lastIndexedAt: "string", replayed: 0,
      reasons: [{ errorClass: null, errorMessage: "even", count: 2 }, { errorClass: null, errorMessage: "odd", count: 1 }],
    },
  );
  const one = await body(await r.topics.GET(get(`/api/dlq?topic=${dlt}&reasons=1`)));
  assert.deepEqual((one.topics as Array<{ reasons: unknown[] }>).map((t) => t.reasons.length), [1]);
});

test("GET /api/dlq/{topic} pages with an opaque cursor and filters by reason", async () => {
  const first = await messages(dlt, "?limit=2");
  assert.equal(first.status, 200);
  const p1 = await body(first);
  assert.equal((p1.messages as unknown[]).length, 2);
  assert.match(String(p1.nextCursor), /^[A-Za-z0-9_-]+$/);
  const p2 = await body(await messages(dlt, `?limit=2&cursor=${String(p1.nextCursor)}`));
  assert.equal((p2.messages as unknown[]).length, 1);
  assert.equal(p2.nextCursor, null);
  const odd = await body(await messages(dlt, "?reason=odd&replay=not-replayed"));
  const [m] = odd.messages as Array<{ key: string; replay: unknown; headers: Record<string, unknown>; dlq: { hasStacktrace: boolean } }>;
  assert.deepEqual([m?.key, m?.replay, m?.dlq.hasStacktrace, "kafka_dlt-exception-stacktrace" in (m?.headers ?? {})], ["k1", null, true, false]);
});

test("GET /api/dlq/{topic}/{partition}/{offset} returns the record with its stack trace", async () => {
  const res = await record(dlt, "0", "1");
  assert.equal(res.status, 200);
  const b = await body(res);
  assert.equal((b.message as { key: string }).key, "k1");
  assert.match(String(b.stacktrace), /^java\.lang\.IllegalStateException: 1\n/);
});

test("unknown topics and records are 404, malformed requests 400 naming the parameter", async () => {
  const cases: Array<[Promise<Response>, number, RegExp]> = [
    [messages(plain), 404, /no dead-letter records indexed for topic/],
    [messages(`${prefix}.never`), 404, /no dead-letter records/],
    [record(dlt, "0", "99"), 404, /no dead letter indexed at/],
    [record(plain, "0", "0"), 404, /no dead letter indexed at/],
    [messages("bad topic"), 400, /^topic: is not a Kafka topic name/],
    [messages("x".repeat(250)), 400, /^topic: is longer than 249/],
    [messages(dlt, "?limit=0"), 400, /^limit: must be at least 1/],
    [messages(dlt, "?limit=ten"), 400, /^limit: must be a number/],
    [messages(dlt, "?cursor=not-a-cursor"), 400, /^cursor: not a cursor/],
    [messages(dlt, "?from=yesterday"), 400, /^from: must be an ISO 8601 date-time/],
    [messages(dlt, "?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z"), 400, /^from: must not be later than to/],
    [messages(dlt, "?replay=maybe"), 400, /^replay: /],
    [messages(dlt, "?reason="), 400, /^reason: must not be empty/],
    [r.topics.GET(get("/api/dlq?reasons=0")), 400, /^reasons: must be at least 1/],
    [r.topics.GET(get("/api/dlq?topic=a%2Fb")), 400, /^topic: /],
    [record(dlt, "-1", "0"), 400, /^partition: must be at least 0/],
    [record(dlt, "0", "abc"), 400, /^offset: /],
    [record(dlt, "0", "9223372036854775808"), 400, /^offset: /],
  ];
  for (const [pending, status, message] of cases) {
    const res = await pending;
    const b = await body(res);
    assert.equal(res.status, status, JSON.stringify(b));
    assert.match(String(b.error), message);
  }
});
