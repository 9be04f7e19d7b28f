// Health tells the truth: a tap whose writes cannot finish (another session holds a SHARE lock on
// `events`) while records wait is "stalled" after FLOWTAP_STALL_AFTER_S, health's tap status
// says so with a reason that carries no payload, and it clears once the tap moves again.
// Real broker, real PostgreSQL.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import postgres from "postgres";
import { sql } from "drizzle-orm";
import { openStore, type Store } from "../../server/db/client";
import { startTap, type Tap } from "../../server/tap/tap";
import { readTapStatus } from "../../server/tap/tap-status";
import { createTopics, freshDatabase, produce, testConfig, uniqueName, waitFor } from "./harness";

const topic = uniqueName("stall-");
let store: Store | undefined;
let tap: Tap | undefined;
let locker: postgres.Sql | undefined;

after(async () => {
  await locker?.end({ timeout: 1 });
  await tap?.stop();
  await store?.close();
});

test("records waiting and nothing indexed: stalled, then running again", { timeout: 180_000 }, async () => {
  await createTopics([{ topic }]);
  const url = await freshDatabase();
  const config = testConfig({ DATABASE_URL: url, FLOWTAP_TOPICS_INCLUDE: `^${topic}$`, FLOWTAP_TAP_GROUP: uniqueName("ft-stall-"), FLOWTAP_STALL_AFTER_S: "5" });
  store = await openStore({ databaseUrl: url, dataDir: config.dataDir, maxConnections: 3 });
  const s = store;
  tap = await startTap(config, s, () => {});
  await produce(topic, [{ value: JSON.stringify({ correlationId: `before-${topic}` }) }]);
  await waitFor("the first record indexed", async () => tap!.state().indexed === 1);
  assert.equal((await readTapStatus(s)).stalled, false);

  locker = postgres(url, { max: 1, onnotice: () => {} });
  const release = await new Promise<() => void>((resolveRelease) => {
    void locker!.begin(async (tx) => {
      await tx`LOCK TABLE events IN SHARE MODE`;
      await new Promise<void>((done) => resolveRelease(done));
    });
  });
  await produce(topic, [{ value: JSON.stringify({ correlationId: `secret-payload-${topic}` }) }]);
  const status = await waitFor("health to say the tap is stalled", async () => {
    const st = await readTapStatus(s);
    return st.stalled ? st : null;
  }, { timeoutMs: 40_000 });
  assert.deepEqual(status.states, ["stalled"]);
  assert.equal(status.pending, 1);
  assert.match(status.errors.join(" "), /stalled: 1 record\(s\) waiting, nothing indexed for \d+ s/);
  assert.ok(!status.errors.join(" ").includes("secret-payload"));

  release();
  await waitFor("the tap to index again and health to clear", async () => {
    const st = await readTapStatus(s);
    return !st.stalled && tap!.state().indexed === 2 && st.states[0] === "running";
  }, { timeoutMs: 40_000 });
  const [n] = await s.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM events WHERE topic = ${topic}`);
  assert.equal(n!.n, 2);
});
