// Two taps in one consumer group share the partitions and index each record once.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { sql } from "drizzle-orm";
import { openStore, type Store } from "../../server/db/client";
import { startTap, type Tap } from "../../server/tap/tap";
import { createTopics, freshDatabase, groupLag, produce, testConfig, uniqueName, waitFor } from "./harness";

const topic = uniqueName("scale-");
const group = uniqueName("ft-scale-");
const taps: Tap[] = [];
const stores: Store[] = [];

after(async () => {
  for (const t of taps) await t.stop();
  for (const s of stores) await s.close();
});

test("two taps split six partitions and index every record once", async () => {
  await createTopics([{ topic, numPartitions: 6 }]);
  const config = testConfig({ DATABASE_URL: await freshDatabase(), FLOWTAP_TOPICS_INCLUDE: `^${topic}$`, FLOWTAP_TAP_GROUP: group });
  for (let i = 0; i < 2; i++) {
    const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    stores.push(store);
    taps.push(await startTap(config, store, () => {}));
  }
  await waitFor("both taps to own partitions", async () => {
    const [a, b] = taps.map((t) => t.state().partitions.length);
    return a! > 0 && b! > 0 && a! + b! === 6;
  });
  const parts = taps.flatMap((t) => t.state().partitions.map((p) => p.partition)).sort();
  assert.deepEqual(parts, [0, 1, 2, 3, 4, 5], "each partition is owned by exactly one tap");

  await produce(topic, Array.from({ length: 3000 }, (_, i) => ({ key: `k${i}`, value: JSON.stringify({ correlationId: `scale-${i % 30}` }) })));
  const store = stores[0]!;
  await waitFor("all records indexed", async () => {
    const [r] = await store.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM events WHERE topic = ${topic}`);
    return r!.n === 3000;
  });
  await waitFor("committed to the end", async () => (await groupLag(group, [topic])) === 0);
  assert.ok(taps.every((t) => t.state().indexed > 0), "both taps did part of the work");
  assert.equal(taps.reduce((sum, t) => sum + t.state().indexed, 0), 3000, "no record was indexed by both");
});
