// Replay against the real broker and PostgreSQL, through the route handler: exactly once
// under double submission, reconciliation after an interrupted replay, refusals audited,
// and clear per-record errors when the broker or the source topic is gone.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import type { IHeaders } from "kafkajs";
import { hashPassword } from "../../server/auth/password";
import { saveUsers } from "../../server/auth/users";
import type { Store } from "../../server/db/client";
import { brokers, createTopics, freshDatabase, produce, tempDir, uniqueName, waitFor, withAdmin, withProducer } from "./harness";

const run = uniqueName("");
const SRC = `rp-${run}.payments`;
const DLT = `rp-${run}.payments.DLT`;
const GONE = `rp-${run}.gone`;
const GONE_DLT = `rp-${run}.gone-dlq`;
const N = 200;
const host = "127.0.0.1:3000";

type Mods = {
  replays: typeof import("../../app/api/replays/route");
  runtime: typeof import("../../server/runtime");
  replay: typeof import("../../server/replay/replay-records");
};
let m: Mods;
let store: Store;

const basic = (name: string, pw: string) => `Basic ${Buffer.from(`${name}:${pw}`).toString("base64")}`;
const OP = basic("op", "operator-pass");
function post(body: unknown, headers: Record<string, string> = { authorization: OP }): Promise<Response> {
  return m.replays.POST(new Request(`http://${host}/api/replays`, {
    method: "POST",
    headers: { "content-type": "application/json", host, ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  }));
}
type Result = { topic: string; partition: number; offset: string; status: string; targetTopic: string; targetPartition: number; targetOffset: string; replayId: string; error?: string };
const results = async (res: Response) => ((await res.json()) as { results: Result[] }).results;
const ref = (i: number) => ({ topic: DLT, partition: 0, offset: String(i) });

const int32 = (n: number) => { const b = Buffer.alloc(4); b.writeInt32BE(n); return b; };
const int64 = (n: number) => { const b = Buffer.alloc(8); b.writeBigInt64BE(BigInt(n)); return b; };

async function endOffsets(topic: string): Promise<number> {
  return withAdmin(async (a) => (await a.fetchTopicOffsets(topic)).reduce((s, p) => s + Number(p.high), 0));
}

async function readAll(topic: string) {
  const { readRanges } = await import("../../server/kafka/read-records");
  const parts = await withAdmin((a) => a.fetchTopicOffsets(topic));
  const recs = await readRanges({ brokers: [brokers()], clientId: "t", ssl: false, sasl: null }, parts.map((p) => ({ topic, partition: p.partition, from: "0", to: p.high })));
  return [...recs.values()];
}

before(async () => {
  const dir = tempDir("replay-");
  const usersFile = join(dir, "users.json");
  saveUsers(usersFile, { users: [
    { name: "op", role: "operator", password: await hashPassword("operator-pass") },
    { name: "viewer", role: "viewer", password: await hashPassword("viewer-pass") },
    { name: "locked", role: "operator", password: await hashPassword("locked-pass") },
  ] });
  Object.assign(process.env, {
    KAFKA_BROKERS: brokers(),
    DATABASE_URL: await freshDatabase(),
    FLOWTAP_DATA_DIR: join(dir, "data"),
    FLOWTAP_USERS_FILE: usersFile,
    FLOWTAP_TOPICS_INCLUDE: `^rp-${run}\\.`,
    FLOWTAP_TOPIC_REFRESH_S: "2",
    FLOWTAP_TAP_GROUP: uniqueName("ft-replay-"),
  });
  m = {
    replays: await import("../../app/api/replays/route"),
    runtime: await import("../../server/runtime"),
    replay: await import("../../server/replay/replay-records"),
  };
  await createTopics([{ topic: SRC, numPartitions: 3 }, { topic: DLT }, { topic: GONE }, { topic: GONE_DLT }]);
  const dlqHeaders = (i: number, topic: string): IHeaders => ({
    "X-Correlation-ID": `rp-flow-${i}`,
    "x-custom": `c${i}`,
    "kafka_dlt-original-topic": topic,
    "kafka_dlt-original-partition": int32(i % 3),
    "kafka_dlt-original-offset": int64(1000 + i),
    "kafka_dlt-exception-message": `boom ${i % 4}`,
  });
  await produce(DLT, Array.from({ length: N }, (_, i) => ({ key: `k${i}`, value: JSON.stringify({ n: i }), headers: dlqHeaders(i, SRC) })));
  await produce(GONE_DLT, [{ key: "g", value: "{}", headers: dlqHeaders(0, GONE) }]);
  await produce(SRC, [{ key: "plain", value: "{}", partition: 0 }]);
  await m.runtime.startBackgroundWork();
  store = await m.runtime.getRuntime().store;
  await waitFor("the dead letters indexed", async () => {
    const [r] = await store.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM events WHERE topic IN (${DLT}, ${GONE_DLT}, ${SRC})`);
    return r!.n === N + 2;
  });
  await withAdmin((a) => a.deleteTopics({ topics: [GONE] }));
});

after(async () => {
  await m.runtime.getRuntime().workers?.stop();
  await store?.close();
});

test("unauthenticated, viewer and cross-site requests are refused, and audited", async () => {
  assert.equal((await post({ records: [ref(0)] }, {})).status, 401);
  assert.equal((await post({ records: [ref(0)] }, { authorization: basic("viewer", "viewer-pass") })).status, 403);
  assert.equal((await post({ records: [ref(0)] }, { authorization: basic("op", "wrong") })).status, 401);
  assert.equal((await post({ records: [ref(0)] }, { authorization: OP, origin: "http://evil.example" })).status, 403);
  const audit = await store.rows<{ actor: string; outcome: string }>(sql`SELECT actor, outcome FROM audit_log WHERE outcome = 'refused' ORDER BY id`);
  assert.deepEqual(audit.map((a) => a.actor), ["anonymous", "viewer", "unknown", "op"]);
});

test("malformed, oversized and wrong requests are 4xx with a message", async () => {
  const cases: Array<[unknown, number, RegExp]> = [
    ["not json", 400, /not JSON/],
    [{ records: [] }, 400, /records: must name at least one/],
    [{ records: Array.from({ length: 1001 }, (_, i) => ref(i)) }, 400, /at most 1000/],
    [{ records: [{ topic: DLT, partition: 0, offset: "-1" }] }, 400, /offset/],
    [{ records: [{ ...ref(0), offset: String(N + 50) }] }, 404, /not in the index/],
    [{ records: [{ topic: SRC, partition: 0, offset: "0" }, ref(0)] }, 422, /not on a dead-letter topic/],
    [JSON.stringify({ records: [ref(0)], pad: "x".repeat(1024 * 1024) }), 413, /over/],
  ];
  for (const [body, status, message] of cases) {
    const res = await post(body);
    const b = (await res.json()) as { error: string };
    assert.equal(res.status, status, JSON.stringify(b));
    assert.match(b.error, message);
  }
});

test("a dry run says where records would go and sends nothing", async () => {
  const before = await endOffsets(SRC);
  const rs = await results(await post({ records: [ref(1), ref(2)], dryRun: true }));
  assert.deepEqual(rs.map((r) => [r.status, r.targetTopic, r.targetPartition]), [["dry-run", SRC, 1], ["dry-run", SRC, 2]]);
  assert.equal(await endOffsets(SRC), before);
});

test("two operators replaying the same records at once: each record lands once", async () => {
  const before = await endOffsets(SRC);
  const refs = Array.from({ length: 100 }, (_, i) => ref(i));
  const [a, b] = await Promise.all([post({ records: refs }), post({ records: refs })]);
  assert.equal(a.status, 200);
  assert.equal(b.status, 200);
  const ra = await results(a);
  const rb = await results(b);
  for (let i = 0; i < refs.length; i++) {
    const statuses = [ra[i]!.status, rb[i]!.status].sort();
    assert.deepEqual(statuses, ["already-replayed", "replayed"], `record ${i}: ${JSON.stringify([ra[i], rb[i]])}`);
  }
  assert.equal(await endOffsets(SRC), before + 100, "exactly 100 records produced");

  const replayed = (await readAll(SRC)).filter((r) => r.headers["x-flowtap-replay-of"]);
  assert.equal(replayed.length, 100);
  const r7 = replayed.find((r) => String(r.headers["x-flowtap-replay-of"]) === `${DLT}/0/7`)!;
  assert.equal(r7.partition, 7 % 3, "the original partition");
  assert.equal(String(r7.key), "k7");
  assert.equal(String(r7.value), JSON.stringify({ n: 7 }));
  assert.equal(String(r7.headers["x-custom"]), "c7");
  assert.equal(String(r7.headers["x-flowtap-replay-count"]), "1");
  assert.equal(r7.headers["kafka_dlt-original-topic"], undefined, "dead-letter headers are not sent back");

  const again = await results(await post({ records: refs.slice(0, 10) }));
  assert.ok(again.every((r) => r.status === "already-replayed"));
  const forced = await results(await post({ records: refs.slice(0, 2), force: true }));
  assert.ok(forced.every((r) => r.status === "replayed"));
  assert.equal(await endOffsets(SRC), before + 102, "only the forced ones were sent again");
  const audit = await store.rows<{ action: string; n: number }>(sql`SELECT action, count(*)::int AS n FROM audit_log WHERE outcome <> 'refused' GROUP BY action ORDER BY action`);
  assert.ok(audit.some((a) => a.action === "replay-forced" && a.n === 1));
});

test("an interrupted replay is reconciled from the target partition, never sent twice", async () => {
  // As a crash between claim and settle leaves it: 20 pending claims, 10 of them produced.
  const refs = Array.from({ length: 20 }, (_, i) => ref(150 + i));
  const floor = await withAdmin((a) => a.fetchTopicOffsets(SRC));
  const claims = refs.map((r, i) => ({ ...r, id: randomUUID(), partition: (150 + i) % 3 }));
  await store.rows(sql`
    INSERT INTO replays (replay_id, dlq_topic, dlq_partition, dlq_offset, attempt, status, target_topic, target_partition, target_floor, requested_by, requested_at)
    SELECT x.id, ${DLT}, 0, x."offset", 1, 'pending', ${SRC}, x.p, x.floor, 'op', now() - interval '10 minutes'
    FROM json_to_recordset(${JSON.stringify(claims.map((c) => ({ id: c.id, offset: c.offset, p: c.partition, floor: floor.find((f) => f.partition === c.partition)!.high })))}::json)
      AS x(id text, "offset" bigint, p int, floor bigint)`);
  await withProducer((p) =>
    p.send({ topic: SRC, messages: claims.slice(0, 10).map((c) => ({ partition: c.partition, key: "k", value: "{}", headers: { "x-flowtap-replay-id": c.id } })) }),
  );
  const before = await endOffsets(SRC);
  const rs = await results(await post({ records: refs }));
  assert.deepEqual(rs.slice(0, 10).map((r) => r.status), Array(10).fill("already-replayed"), "produced before the crash: found, not re-sent");
  assert.ok(rs.slice(0, 10).every((r, i) => r.replayId === claims[i]!.id && r.targetOffset !== null));
  assert.deepEqual(rs.slice(10).map((r) => r.status), Array(10).fill("replayed"), "never produced: sent now");
  assert.equal(await endOffsets(SRC), before + 10);
  const ledger = await store.rows<{ status: string; n: number }>(sql`
    SELECT status, count(*)::int AS n FROM replays WHERE dlq_topic = ${DLT} AND dlq_offset >= 150 GROUP BY status ORDER BY status`);
  assert.deepEqual(ledger, [{ status: "failed", n: 10 }, { status: "replayed", n: 20 }], "the ledger says which attempt did what");
});

test("broker unreachable: clear per-record errors, nothing marked; a retry later works", async () => {
  const refs = [ref(120), ref(121)];
  const down = await m.replay.replayRecords(store, { brokers: ["127.0.0.1:1"], clientId: "t", ssl: false, sasl: null }, refs, { actor: "op", force: false, dryRun: false, maxCycles: 3, targets: (await import("../../server/replay/targets")).replayTargets(m.runtime.getRuntime().config) });
  assert.ok(down.every((r) => r.status === "failed" && /Kafka/.test(r.error ?? "")), JSON.stringify(down));
  const [claimed] = await store.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM replays WHERE dlq_topic = ${DLT} AND dlq_offset IN (120, 121)`);
  assert.equal(claimed!.n, 0);
  const later = await results(await post({ records: refs }));
  assert.deepEqual(later.map((r) => r.status), ["replayed", "replayed"]);
});

test("source topic deleted: a clear error, nothing replayed", async () => {
  const rs = await results(await post({ records: [{ topic: GONE_DLT, partition: 0, offset: "0" }] }));
  assert.equal(rs[0]!.status, "failed");
  assert.match(rs[0]!.error!, /does not exist/);
  const [r] = await store.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM replays WHERE dlq_topic = ${GONE_DLT} AND status = 'replayed'`);
  assert.equal(r!.n, 0);
});

test("ten wrong passwords shut a name out for a while, by form and by Basic; other names still sign in", async () => {
  const session = await import("../../app/api/session/route");
  const signIn = (name: string, password: string) =>
    session.POST(new Request("http://localhost/api/session", {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": "203.0.113.9" },
      body: JSON.stringify({ name, password }),
    }));
  // Guesses sent all at once: only ten are checked, the rest are refused at once.
  const statuses = (await Promise.all(Array.from({ length: 30 }, (_, i) => signIn("locked", `wrong-${i}`)))).map((r) => r.status);
  assert.deepEqual([statuses.filter((st) => st === 401).length, statuses.filter((st) => st === 429).length], [10, 20]);
  const refused = await signIn("locked", "locked-pass");
  assert.equal(refused.status, 429);
  assert.match(((await refused.json()) as { error: string }).error, /too many failed sign-ins; try again in \d+ s/);
  assert.equal((await post({ records: [ref(0)], dryRun: true }, { authorization: basic("locked", "locked-pass") })).status, 429);
  assert.equal((await signIn("op", "operator-pass")).status, 200);
});
