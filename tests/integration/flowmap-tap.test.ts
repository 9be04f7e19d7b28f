// The flow map through the real tap and the real broker: generated flows produced across six
// topics and their partitions (late events, duplicates, dead letters), indexed by the tap with
// FLOWTAP_FLOW_TYPES rules, equal the recomputation from `events`. Then a second tap in a new group
// reads every record again, as after a crash before any commit: nothing changes. The map is folded in
// by the tap's own deferred passes.
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { sql } from "drizzle-orm";
import { openStore, type Store } from "../../server/db/client";
import type { Config } from "../../server/config";
import { readFlowmapTables } from "../../server/flowmap/recompute";
import { pendingRows } from "../../server/flowmap/queued";
import { startTap, type Tap } from "../../server/tap/tap";
import { generate } from "./flowmap-gen";
import { assertMapEqualsRecomputation, assertSameMap } from "./flowmap-compare";
import { createTopics, freshDatabase, groupLag, tempDir, testConfig, uniqueName, waitFor, withAdmin, withProducer } from "./harness";

const SUFFIXES = ["orders", "payments", "inventory", "refunds", "signups", "payments.DLT"];
const FLOW_TYPES = "refund=topic:\\.refunds$;order=eventType:^Order";

for (const kind of ["postgres", "pglite"] as const) {
  describe(`the flow map through the tap (${kind})`, () => {
    const prefix = uniqueName(`fmtap-${kind}-`);
    const topics = SUFFIXES.map((s) => `${prefix}.${s}`);
    let store: Store | undefined;
    const taps: Tap[] = [];
    after(async () => {
      for (const t of taps) await t.stop();
      await store?.close();
    });

    const logged: string[] = [];
    const run = async (config: Config, s: Store, total: number) => {
      const tap = await startTap(config, s, (line) => logged.push(line));
      taps.push(tap);
      await waitFor("every record read and committed", async () => (await groupLag(config.tapGroup, topics)) === 0 && total, { timeoutMs: 240_000 });
      // The tap's own passes fold the queue in shortly after (every second, back to back while full).
      await waitFor("the flow map caught up", async () => (await pendingRows(s)) === 0, { timeoutMs: 60_000 });
      const lag = tap.state().flowmap;
      assert.ok(lag && lag.lastError === null, "the passes ran without error");
      await tap.stop();
    };

    test("indexed by the tap, the map equals the recomputation; a full re-read changes nothing", { timeout: 600_000 }, async () => {
      await createTopics(topics.map((topic) => ({ topic, numPartitions: topic.endsWith(".DLT") ? 1 : 3 })));
      const messages = generate(7, { flows: 120, bigFlow: 30, start: Date.now() - 3 * 3_600_000 });
      await withProducer(async (p) => {
        // Sent in production order, one at a time per topic partition, so late events stay late.
        for (let i = 0; i < messages.length; i += 50) {
          await p.sendBatch({
            topicMessages: messages.slice(i, i + 50).map((m) => ({
              topic: `${prefix}.${m.topic}`,
              messages: [{ partition: m.partition, timestamp: String(m.ts), value: JSON.stringify(m.value) }],
            })),
          });
        }
      });
      const databaseUrl = kind === "postgres" ? await freshDatabase() : undefined;
      const dataDir = tempDir("fmtap-");
      const env = { DATABASE_URL: databaseUrl, FLOWTAP_DATA_DIR: dataDir, FLOWTAP_TOPICS_INCLUDE: `^${prefix.replace(/[.-]/g, "\\$&")}\\.`, FLOWTAP_FLOW_TYPES: FLOW_TYPES };
      const first = testConfig({ ...env, FLOWTAP_TAP_GROUP: uniqueName("ft-fm-a-") });
      const s = (store = await openStore({ databaseUrl: first.databaseUrl, dataDir: first.dataDir }));
      await run(first, s, messages.length);
      const [n] = await s.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM events`);
      const inTopics = await withAdmin(async (a) => {
        let sum = 0;
        for (const t of topics) for (const o of await a.fetchTopicOffsets(t)) sum += Number(o.high) - Number(o.low);
        return sum;
      });
      assert.equal(n!.n, inTopics, `every record indexed once (${messages.length} produced)`);
      const config = { flowTypes: first.flowmap.flowTypes, terminalEvents: first.terminalEvents, maxEvents: first.flowmap.maxEvents };
      const rows = await assertMapEqualsRecomputation(s, config, "after the tap");
      assert.ok(rows > 200, `a map of some size (${rows} rows)`);
      const types = await s.rows<{ flow_type: string }>(sql`SELECT DISTINCT flow_type FROM flowmap_flows WHERE flows > 0`);
      for (const t of ["order", "refund", "UserRegistered"]) assert.ok(types.some((r) => r.flow_type === t), t);

      const tables = await readFlowmapTables(s);
      await run(testConfig({ ...env, FLOWTAP_TAP_GROUP: uniqueName("ft-fm-b-") }), s, messages.length);
      assertSameMap(await readFlowmapTables(s), tables, "after a full re-read");
      // The first tap recorded the settings before it indexed anything; the second found them the
      // same: neither took the index for one from before the map and rebuilt it.
      assert.deepEqual(logged.filter((l) => /flow map: .*rebuild/.test(l)), []);
      const [settings] = await s.rows<{ fingerprint: string }>(sql`SELECT fingerprint FROM flowmap_settings`);
      assert.match(settings!.fingerprint, /"name":"refund"/);
    });
  });
}
