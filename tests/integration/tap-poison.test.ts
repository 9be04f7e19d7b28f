// Records that are legal in Kafka but once stopped the whole index: a timestamp past year 9999
// and a dead-letter origin header with a 20-digit offset. Against the real broker, into real
// PostgreSQL and PGlite: good records on another topic are indexed within 10 s, the poison is
// stored degraded (with its anomalies), nothing is quarantined needlessly, health stays truthful,
// and the group commits past them.
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { sql } from "drizzle-orm";
import { openStore, type Store } from "../../server/db/client";
import { startTap, type Tap } from "../../server/tap/tap";
import { readTapStatus } from "../../server/tap/tap-status";
import { renderMetrics } from "../../server/lag/prometheus";
import { createTopics, freshDatabase, groupLag, produce, tempDir, testConfig, uniqueName, waitFor } from "./harness";

for (const kind of ["postgres", "pglite"] as const) {
  describe(`poison records do not stop the index (${kind})`, () => {
    const run = uniqueName("");
    const poisonTopic = `ft-poison-${run}`;
    const goodTopic = `ft-good-${run}`;
    const group = `ft-poison-${run}`;
    let store: Store | undefined;
    let tap: Tap | undefined;

    after(async () => {
      await tap?.stop();
      await store?.close();
    });

    test("two poison records, then good ones on another topic", { timeout: 180_000 }, async () => {
      await createTopics([{ topic: poisonTopic }, { topic: goodTopic }]);
      const config = testConfig({
        DATABASE_URL: kind === "postgres" ? await freshDatabase() : undefined,
        FLOWTAP_DATA_DIR: tempDir("poison-"),
        FLOWTAP_TOPICS_INCLUDE: `^(${poisonTopic}|${goodTopic})$`,
        FLOWTAP_TAP_GROUP: group,
      });
      store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, maxConnections: 4 });
      const s = store;
      tap = await startTap(config, s, () => {});
      await produce(poisonTopic, [
        // A producer writing microseconds as milliseconds: year 58,000.
        { value: JSON.stringify({ correlationId: `future-${run}`, type: "OrderCreated" }), timestamp: "1777110759000000" },
        { value: "{}", headers: { "__connect.errors.topic": "orders", "__connect.errors.offset": "99999999999999999999", "x-correlation-id": `connect-${run}` } },
        { value: JSON.stringify({ correlationId: `after-${run}` }) },
      ]);
      const started = Date.now();
      await produce(goodTopic, Array.from({ length: 5 }, (_, i) => ({ value: JSON.stringify({ correlationId: `good-${run}-${i}` }) })));

      await waitFor("the five good records indexed", async () => {
        const [r] = await s.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM events WHERE topic = ${goodTopic}`);
        return r!.n === 5;
      }, { timeoutMs: 10_000 });
      assert.ok(Date.now() - started < 10_000);

      const poison = await waitFor("the poison topic indexed", async () => {
        const rows = await s.rows<{ correlation_id: string; ts: string; dlq_source_offset: string | null; anomalies: string[] | null }>(sql`
          SELECT correlation_id, to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS ts, dlq_source_offset::text AS dlq_source_offset, anomalies
          FROM events WHERE topic = ${poisonTopic} ORDER BY "offset"`);
        return rows.length === 3 ? rows : null;
      }, { timeoutMs: 10_000 });
      assert.equal(poison[0]!.correlation_id, `future-${run}`);
      assert.equal(poison[0]!.ts, "9999-12-31");
      assert.match(poison[0]!.anomalies?.[0] ?? "", /past year 9999/);
      assert.equal(poison[1]!.correlation_id, `connect-${run}`);
      assert.equal(poison[1]!.dlq_source_offset, null);
      assert.match(poison[1]!.anomalies?.join(" ") ?? "", /offset 99999999999999999999 is out of range/);
      assert.equal(poison[2]!.anomalies, null, "a clean record after them is stored as read");

      await waitFor("the group committed past the poison", async () => (await groupLag(group, [poisonTopic, goodTopic])) === 0, { timeoutMs: 20_000 });
      const status = await readTapStatus(s);
      assert.equal(status.degraded, 2);
      assert.equal(status.quarantined, 0);
      assert.equal(status.stalled, false);
      assert.deepEqual(status.errors, []);
      const metrics = await renderMetrics(s, status);
      assert.match(metrics, /^flowtap_tap_degraded_records(\{\})? 2$/m);
      assert.match(metrics, /^flowtap_tap_quarantined_records(\{\})? 0$/m);
      assert.match(metrics, /^flowtap_tap_stalled(\{\})? 0$/m);
    });
  });
}
