// A topic deleted and re-created starts again at offset 0. Its new records must be indexed,
// replacing the old generation's rows at the same offsets, not dropped by the primary key.
// Real broker, real PostgreSQL and PGlite.
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { sql } from "drizzle-orm";
import { openStore, type Store } from "../../server/db/client";
import { findFlow } from "../../server/flows/find-flow";
import { startTap, type Tap } from "../../server/tap/tap";
import { createTopics, freshDatabase, produce, tempDir, testConfig, uniqueName, waitFor, withAdmin } from "./harness";

for (const kind of ["postgres", "pglite"] as const) {
  describe(`a re-created topic (${kind})`, () => {
    let store: Store | undefined;
    let tap: Tap | undefined;
    after(async () => {
      await tap?.stop();
      await store?.close();
    });

    test("its new records are indexed and the old generation's counts go", { timeout: 180_000 }, async () => {
      const topic = uniqueName("recreated-");
      await createTopics([{ topic }]);
      const config = testConfig({
        DATABASE_URL: kind === "postgres" ? await freshDatabase() : undefined,
        FLOWTAP_DATA_DIR: tempDir("recreate-"),
        FLOWTAP_TOPICS_INCLUDE: `^${topic}$`,
        FLOWTAP_TAP_GROUP: uniqueName("ft-recreate-"),
      });
      store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, maxConnections: 3 });
      const s = store;
      tap = await startTap(config, s, () => {});
      await produce(topic, Array.from({ length: 5 }, (_, i) => ({ value: JSON.stringify({ correlationId: `old-${topic}`, i }) })));
      await waitFor("the first generation indexed", async () => (await findFlow(s, `old-${topic}`))?.events.length === 5);

      await withAdmin((a) => a.deleteTopics({ topics: [topic] }));
      await waitFor("the topic gone", async () => !(await withAdmin((a) => a.listTopics())).includes(topic));
      await createTopics([{ topic }]);
      await produce(topic, Array.from({ length: 3 }, (_, i) => ({ value: JSON.stringify({ correlationId: `new-${topic}`, i }) })));

      const flow = await waitFor("the second generation indexed", async () => {
        const f = await findFlow(s, `new-${topic}`);
        return f?.events.length === 3 ? f : null;
      }, { timeoutMs: 60_000 });
      assert.deepEqual(flow.events.map((e) => e.offset), ["0", "1", "2"]);
      const [old] = await s.rows<{ events: number }>(sql`SELECT events::int AS events FROM flows WHERE correlation_id = ${`old-${topic}`}`);
      assert.equal(old!.events, 2, "the three displaced rows no longer count in their old flow");
      assert.equal((await findFlow(s, `old-${topic}`))?.events.length, 2, "old rows at offsets the new topic has not reached stay");
    });
  });
}
