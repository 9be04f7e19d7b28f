// A tap that starts on a backlog must know it is catching up from its first batch: the flow map's
// passes yield to the index only once the backlog is known. Regression: the first count of waiting
// records came with the periodic check, 10 s after start; until then the passes ran back to back
// beside the writes (on PGlite 120 passes, ~10 s of the single connection, in a 100 s run).
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { openStore, type Store } from "../../server/db/client";
import { startTap, type Tap } from "../../server/tap/tap";
import { createTopics, tempDir, testConfig, uniqueName, waitFor, withProducer } from "./harness";

let store: Store | undefined;
let tap: Tap | undefined;
after(async () => {
  await tap?.stop();
  await store?.close();
});

test("the backlog is counted right after the first batch, not at the next periodic check", { timeout: 240_000 }, async () => {
  const topic = uniqueName("backlog-");
  await createTopics([{ topic, numPartitions: 3 }]);
  // Far more than CATCHING_UP_RECORDS (10,000): the tap still has most of it to read at its first
  // count. With 30,000 one CI run counted after 20,000 were read, and saw exactly 10,000 waiting.
  const total = 100_000;
  await withProducer(async (p) => {
    for (let i = 0; i < total; i += 5_000) {
      await p.send({ topic, messages: Array.from({ length: 5_000 }, (_, k) => ({ value: JSON.stringify({ eventId: `b-${i + k}`, correlationId: `c-${(i + k) % 3000}`, type: "Step" }) })) });
    }
  });
  store = await openStore({ databaseUrl: null, dataDir: tempDir("backlog-") });
  const config = testConfig({ FLOWTAP_TOPICS_INCLUDE: `^${topic}$`, FLOWTAP_TAP_GROUP: uniqueName("backlog-tap-") });
  tap = await startTap(config, store, () => {});
  let firstIndexedAt = 0;
  let firstCheckAt = 0;
  let pendingThen: number | null = null;
  await waitFor("the tap's first batch and its first backlog count", async () => {
    const s = tap!.state();
    if (!firstIndexedAt && s.indexed > 0) firstIndexedAt = Date.now();
    if (!firstCheckAt && s.pendingCheckedAt) {
      firstCheckAt = Date.now();
      pendingThen = s.pending;
    }
    return firstIndexedAt > 0 && firstCheckAt > 0;
  }, { timeoutMs: 60_000, intervalMs: 20 });
  // The periodic check runs every 10 s from start; the batch-triggered one within an admin round trip.
  assert.ok(firstCheckAt - firstIndexedAt < 3_000, `first backlog count ${firstCheckAt - firstIndexedAt} ms after the first batch`);
  assert.ok(pendingThen !== null && pendingThen > 10_000 && pendingThen <= total, `a backlog is known while catching up (${pendingThen} waiting)`);
});
