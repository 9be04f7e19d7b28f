// A live system's tap is never idle: the demo's saga writes a few records every second, so "wait
// until the tap has been quiet for 2 s" never comes. Regression: the first scheduling left the
// map empty on the running demo (0 flow types after 3 minutes). Passes must still run, one every
// couple of seconds, while the tap reports itself busy the whole time.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { sql } from "drizzle-orm";
import { openStore, type Store } from "../../server/db/client";
import type { FlowmapOptions } from "../../server/flowmap/options";
import { drainFlowmap, startFlowmapPasses } from "../../server/flowmap/pass";
import { pendingRows } from "../../server/flowmap/queued";
import { readFlowMap } from "../../server/flowmap/read-map";
import { flowmapQuery } from "../../server/contract/flowmap";
import { writeRecords } from "../../server/tap/write-records";
import { recordMaker, TERMINAL } from "./flowmap-compare";
import { tempDir, waitFor } from "./harness";

const FLOWMAP: FlowmapOptions = { enabled: true, flowTypes: [], maxEvents: 1000 };
const rec = recordMaker("live");

let store: Store | undefined;
after(async () => store?.close());

test("while the tap is busy without a pause, the map still catches up within seconds", async () => {
  const s = (store = await openStore({ databaseUrl: "", dataDir: tempDir("fml-") }));
  const passes = startFlowmapPasses(s, FLOWMAP, TERMINAL, () => {}, () => true);
  try {
    const now = Date.now();
    for (let i = 0; i < 20; i++) {
      await writeRecords(s, [rec(`live-${i}`, "OrderCreated", now - 5000), rec(`live-${i}`, "OrderCompleted", now - 4000)], TERMINAL, FLOWMAP);
    }
    assert.ok((await pendingRows(s)) > 0);
    await waitFor("the pass to fold the queue while the tap stays busy", async () => (await pendingRows(s)) === 0, { timeoutMs: 40_000, intervalMs: 200 });
    const [m] = await s.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM flowmap_members`);
    assert.equal(m?.n, 20);
  } finally {
    await passes.stop();
  }
});

test("the map's answer says how many indexed events it does not hold yet", async () => {
  const s = await openStore({ databaseUrl: "", dataDir: tempDir("fmq-") });
  try {
    const now = Date.now();
    await writeRecords(s, [rec("q-1", "OrderCreated", now - 3000), rec("q-1", "OrderPaid", now - 2000), rec("q-2", "OrderCreated", now - 1000)], TERMINAL, FLOWMAP);
    const read = () => readFlowMap(s, { query: flowmapQuery.parse({}), now: new Date(), stuckAfterMs: 300_000 });
    const behind = await read();
    assert.deepEqual(behind.queued, { events: 3, capped: false });
    assert.equal(behind.flowTypes.length, 0, "nothing folded yet");
    await drainFlowmap(s, FLOWMAP, TERMINAL);
    const caughtUp = await read();
    assert.deepEqual(caughtUp.queued, { events: 0, capped: false });
    assert.equal(caughtUp.flowTypes[0]?.flows, 2);
  } finally {
    await s.close();
  }
});
