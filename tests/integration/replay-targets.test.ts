// Replay targets against the real broker, through the route: a dead-letter record whose planted
// header names connect-configs or another dead-letter topic is refused per record (the rest of
// "replay all" goes through), force alone does not pass the limit, naming the topic does.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { hashPassword } from "../../server/auth/password";
import { saveUsers } from "../../server/auth/users";
import type { Store } from "../../server/db/client";
import { brokers, freshDatabase, produce, tempDir, uniqueName, waitFor, withAdmin } from "./harness";

const run = uniqueName("");
const SRC = `rpt-${run}.orders`;
const DLT = `rpt-${run}.orders.DLT`;
const OTHER_DLT = `rpt-${run}.audit.DLT`;
const CONNECT = "connect-configs";
const host = "127.0.0.1:3000";
const OP = `Basic ${Buffer.from("op:operator-pass").toString("base64")}`;

let replays: typeof import("../../app/api/replays/route");
let runtime: typeof import("../../server/runtime");
let store: Store;

type Result = { offset: string; status: string; targetTopic: string | null; error?: string };
async function post(body: unknown): Promise<Result[]> {
  const res = await replays.POST(new Request(`http://${host}/api/replays`, { method: "POST", headers: { "content-type": "application/json", host, authorization: OP }, body: JSON.stringify(body) }));
  const json = (await res.json()) as { results: Result[]; error?: string };
  assert.equal(res.status, 200, json.error);
  return json.results;
}
const ref = (i: number) => ({ topic: DLT, partition: 0, offset: String(i) });
const ALL = Array.from({ length: 6 }, (_, i) => ref(i));
const endOf = (topic: string) => withAdmin(async (a) => (await a.fetchTopicOffsets(topic)).reduce((s, p) => s + Number(p.high), 0));

before(async () => {
  const dir = tempDir("replay-targets-");
  const usersFile = join(dir, "users.json");
  saveUsers(usersFile, { users: [{ name: "op", role: "operator", password: await hashPassword("operator-pass") }] });
  Object.assign(process.env, {
    KAFKA_BROKERS: brokers(),
    DATABASE_URL: await freshDatabase(),
    FLOWTAP_DATA_DIR: join(dir, "data"),
    FLOWTAP_USERS_FILE: usersFile,
    // connect-configs is watched, so only the internal-topic rule can refuse it.
    FLOWTAP_TOPICS_INCLUDE: `^(rpt-${run}\\.|connect-configs$)`,
    FLOWTAP_TAP_GROUP: uniqueName("ft-rpt-"),
  });
  replays = await import("../../app/api/replays/route");
  runtime = await import("../../server/runtime");
  await withAdmin(async (a) => {
    const have = await a.listTopics();
    await a.createTopics({ topics: [SRC, DLT, OTHER_DLT, CONNECT].filter((t) => !have.includes(t)).map((topic) => ({ topic })), waitForLeaders: true });
  });
  const target = (i: number) => (i === 4 ? CONNECT : i === 5 ? OTHER_DLT : SRC);
  await produce(DLT, ALL.map((_, i) => ({ key: `k${i}`, value: JSON.stringify({ n: i }), headers: { "kafka_dlt-original-topic": target(i), "kafka_dlt-exception-message": "boom" } })));
  await runtime.startBackgroundWork();
  store = await runtime.getRuntime().store;
  await waitFor("the dead letters indexed", async () => {
    const [r] = await store.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM events WHERE topic = ${DLT}`);
    return r!.n === ALL.length;
  });
});

after(async () => {
  await runtime.getRuntime().workers?.stop();
  await store?.close();
});

test("a dry run names every target; planted targets come back refused, with the reason", async () => {
  const rs = await post({ records: ALL, dryRun: true });
  assert.deepEqual(rs.map((r) => [r.status, r.targetTopic]), [
    ["dry-run", SRC], ["dry-run", SRC], ["dry-run", SRC], ["dry-run", SRC], ["refused", CONNECT], ["refused", OTHER_DLT],
  ]);
  assert.match(rs[4]!.error!, /internal/);
  assert.match(rs[5]!.error!, /dead-letter/);
});

test("replay all matching: the ordinary records go, the planted ones are refused and nothing reaches their targets", async () => {
  const [connectBefore, otherBefore, srcBefore] = [await endOf(CONNECT), await endOf(OTHER_DLT), await endOf(SRC)];
  const rs = await post({ records: ALL });
  assert.deepEqual(rs.map((r) => r.status), ["replayed", "replayed", "replayed", "replayed", "refused", "refused"]);
  assert.equal(await endOf(SRC), srcBefore + 4);
  assert.equal(await endOf(CONNECT), connectBefore, "nothing written to connect-configs");
  assert.equal(await endOf(OTHER_DLT), otherBefore, "nothing written to the other dead-letter topic");
  const [claims] = await store.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM replays WHERE dlq_topic = ${DLT} AND dlq_offset IN (4, 5)`);
  assert.equal(claims!.n, 0, "a refused record is not claimed");
});

test("force alone does not pass the limit; naming the target topic does, and only that one", async () => {
  const connectBefore = await endOf(CONNECT);
  const forced = await post({ records: [ref(4), ref(5)], force: true });
  assert.deepEqual(forced.map((r) => r.status), ["refused", "refused"]);
  assert.equal(await endOf(CONNECT), connectBefore);
  const named = await post({ records: [ref(4), ref(5)], allowTargets: [CONNECT] });
  assert.deepEqual(named.map((r) => [r.status, r.targetTopic]), [["replayed", CONNECT], ["refused", OTHER_DLT]]);
  assert.equal(await endOf(CONNECT), connectBefore + 1);
  const [audit] = await store.rows<{ detail: { allowTargets?: string[] } }>(sql`SELECT detail FROM audit_log WHERE action LIKE 'replay%' ORDER BY id DESC LIMIT 1`);
  assert.deepEqual(audit!.detail.allowTargets, [CONNECT], "the override is audited");
});
