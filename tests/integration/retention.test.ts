// Retention removes what was indexed before the cutoff, and nothing after it.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { sql } from "drizzle-orm";
import { openStore, type Store } from "../../server/db/client";
import { pruneIndex } from "../../server/retention/prune-index";
import { freshDatabase, tempDir } from "./harness";

const stores: Store[] = [];
after(async () => {
  for (const s of stores) await s.close();
});

for (const kind of ["postgres", "pglite"] as const) {
  test(`prunes events and flows older than the cutoff (${kind})`, async () => {
    const store = await openStore({ databaseUrl: kind === "postgres" ? await freshDatabase() : null, dataDir: tempDir() });
    stores.push(store);
    // 25,000 old rows (more than one delete batch) and 10 recent ones.
    await store.rows(sql`
      INSERT INTO events (topic, partition, "offset", ts, indexed_at, correlation_id, headers, value_kind, size)
      SELECT 'old', 0, g, now(), now() - interval '10 days', 'old-' || (g % 100), '{}'::jsonb, 'null', 0 FROM generate_series(1, 25000) g
      UNION ALL
      SELECT 'new', 0, g, now() - interval '30 days', now(), 'new-1', '{}'::jsonb, 'null', 0 FROM generate_series(1, 10) g`);
    await store.rows(sql`
      INSERT INTO flows (correlation_id, first_seen, last_seen, events, updated_at)
      VALUES ('old-1', now() - interval '10 days', now() - interval '10 days', 250, now() - interval '10 days'),
             ('new-1', now() - interval '30 days', now() - interval '30 days', 10, now())`);
    const result = await pruneIndex(store, new Date(Date.now() - 7 * 86_400_000));
    assert.deepEqual(result, { events: 25_000, flows: 1, samples: 0 });
    const rows = await store.rows<{ topic: string; n: number }>(sql`SELECT topic, count(*)::int AS n FROM events GROUP BY topic`);
    assert.deepEqual(rows, [{ topic: "new", n: 10 }], "records indexed recently stay, whatever their producer timestamp");
    const flows = await store.rows<{ correlation_id: string }>(sql`SELECT correlation_id FROM flows`);
    assert.deepEqual(flows.map((f) => f.correlation_id), ["new-1"]);
  });
}
