// PostgreSQL stopped for 30 s while records keep arriving: the tap stops committing,
// retries, and catches up when the server is back; nothing lost, nothing doubled.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { startPostgres, type PostgresServer } from "../../scripts/lib/postgres-server";
import { openStore, type Store } from "../../server/db/client";
import { startTap, type Tap } from "../../server/tap/tap";
import { createTopics, groupLag, tempDir, testConfig, uniqueName, waitFor, withAdmin, withProducer } from "./harness";

const OUTAGE_MS = 30_000;
const topic = uniqueName("outage-");
const group = uniqueName("ft-outage-");
let pg: PostgresServer | undefined;
let store: Store | undefined;
let tap: Tap | undefined;

after(async () => {
  await tap?.stop();
  await store?.close();
  pg?.destroy();
});

async function committed(): Promise<number> {
  return withAdmin(async (a) => {
    const [t] = await a.fetchOffsets({ groupId: group, topics: [topic] });
    return (t?.partitions ?? []).reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
  });
}

async function indexed(s: Store): Promise<number> {
  const [r] = await s.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM events WHERE topic = ${topic}`);
  return r!.n;
}

test("the store away for 30 s: no commits meanwhile, full catch-up after", { timeout: 240_000 }, async () => {
  pg = await startPostgres({ dir: join(tempDir("pg-outage-"), "pg") });
  await createTopics([{ topic, numPartitions: 2 }]);
  const config = testConfig({ DATABASE_URL: pg.url, FLOWTAP_TOPICS_INCLUDE: `^${topic}$`, FLOWTAP_TAP_GROUP: group });
  store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, maxConnections: 2 });
  const s = store;
  const logs: string[] = [];
  tap = await startTap(config, s, (line) => logs.push(line));

  let sent = 0;
  const send = (n: number) =>
    withProducer(async (p) => {
      const messages = Array.from({ length: n }, () => ({ value: JSON.stringify({ correlationId: `outage-${sent % 50}`, n: sent++ }) }));
      await p.send({ topic, messages });
    });

  await send(500);
  await waitFor("the first records indexed and committed", async () => (await indexed(s)) === 500 && (await committed()) === 500);

  pg.stop();
  const outageStart = Date.now();
  const committedAtStop = await committed();
  // Records keep arriving during the outage.
  while (Date.now() - outageStart < OUTAGE_MS) {
    await send(100);
    await new Promise((r) => setTimeout(r, 1_000));
  }
  assert.equal(await committed(), committedAtStop, "nothing is committed while the store is away");
  assert.equal(tap.state().state, "store-unavailable");
  assert.ok(logs.some((l) => l.includes("write failed")), "the failure is logged");
  pg.start();

  await waitFor("every record indexed after the store came back", async () => (await indexed(s)) === sent, { timeoutMs: 60_000 });
  await waitFor("the group committed to the end", async () => (await groupLag(group, [topic])) === 0, { timeoutMs: 30_000 });
  const [dups] = await s.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM (SELECT 1 FROM events WHERE topic = ${topic} GROUP BY partition, "offset" HAVING count(*) > 1) d`);
  assert.equal(dups!.n, 0);
  const [flows] = await s.rows<{ n: number }>(sql`SELECT sum(events)::int AS n FROM flows WHERE correlation_id LIKE 'outage-%'`);
  assert.equal(flows!.n, sent);
  assert.equal(tap.state().state, "running");
});
