// Retention removes what is past the cutoff in every table that grows, and nothing after it;
// never a pending replay. Deletes go in bounded statements, and PGlite gets fresh statistics.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { sql, type SQL } from "drizzle-orm";
import { openStore, type Store } from "../../server/db/client";
import { BATCH_ROWS } from "../../server/retention/batched-delete";
import { pruneIndex } from "../../server/retention/prune-index";
import { freshDatabase, tempDir } from "./harness";

const stores: Store[] = [];
after(async () => {
  for (const s of stores) await s.close();
});

const OLD = sql`now() - interval '10 days'`;
const NEW = sql`now() - interval '1 hour'`;
/** Rows sharing one indexed_at, more than a batch: the window walk must still get past them. */
const TIED = 12_000;

async function seed(store: Store): Promise<void> {
  const run = (q: SQL) => store.rows(q);
  // 13,000 old events with distinct indexed_at, 12,000 sharing one, 10 recent ones whose
  // producer timestamp is old: retention goes by when we indexed a record.
  await run(sql`
    INSERT INTO events (topic, partition, "offset", ts, indexed_at, correlation_id, headers, value_kind, size)
    SELECT 'old', 0, g, now(), now() - interval '10 days' + g * interval '1 millisecond', 'old-' || (g % 100), '{}'::json, 'null', 0 FROM generate_series(1, 13000) g
    UNION ALL
    SELECT 'tied', 0, g, now(), timestamptz '2020-01-01 00:00:00.123456+00', 'old-1', '{}'::json, 'null', 0 FROM generate_series(1, ${TIED}) g
    UNION ALL
    SELECT 'new', 0, g, now() - interval '30 days', now(), 'new-1', '{}'::json, 'null', 0 FROM generate_series(1, 10) g`);
  await run(sql`
    INSERT INTO flows (correlation_id, first_seen, last_seen, events, updated_at)
    VALUES ('old-1', ${OLD}, ${OLD}, 250, ${OLD}),
           ('new-1', now() - interval '30 days', now() - interval '30 days', 10, now()),
           ('straddles', ${OLD}, ${NEW}, 2, ${NEW})`);
  await run(sql`
    INSERT INTO tap_instances (instance_id, host, started_at, heartbeat_at, state)
    VALUES ('gone', 'h', now() - interval '3 days', now() - interval '2 days', 'stopped'),
           ('recent', 'h', now() - interval '3 hours', ${NEW}, 'stopped')`);
  await run(sql`
    INSERT INTO audit_log (at, actor, action, outcome, detail)
    VALUES (${OLD}, 'a', 'replay', 'ok', '{}'), (${NEW}, 'a', 'replay', 'ok', '{}')`);
  await run(sql`
    INSERT INTO replays (replay_id, dlq_topic, dlq_partition, dlq_offset, attempt, status, requested_by, requested_at, settled_at)
    VALUES ('old-replayed', 'd', 0, 1, 1, 'replayed', 'a', ${OLD}, ${OLD}),
           ('old-failed', 'd', 0, 2, 1, 'failed', 'a', ${OLD}, ${OLD}),
           ('old-pending', 'd', 0, 3, 1, 'pending', 'a', ${OLD}, NULL),
           ('new-replayed', 'd', 0, 4, 1, 'replayed', 'a', ${NEW}, ${NEW})`);
  // 20,000 old lag events fill ~200 heap blocks: the block-range walk needs several statements.
  await run(sql`
    INSERT INTO lag_events (group_id, t, kind, detail)
    SELECT 'g' || (g % 7), now() - interval '10 days', 'status', 'OK → WARN' FROM generate_series(1, 20000) g
    UNION ALL SELECT 'g1', ${NEW}, 'status', 'WARN → OK'`);
  await run(sql`
    INSERT INTO lag_samples (group_id, topic, partition, t, committed, end_offset, lag, status)
    VALUES ('g', 't', 0, ${OLD}, 1, 2, 1, 'OK'), ('g', 't', 0, ${NEW}, 1, 2, 1, 'OK')`);
  await run(sql`
    INSERT INTO offset_samples (topic, partition, t, end_offset) VALUES ('t', 0, ${OLD}, 2), ('t', 0, ${NEW}, 2)`);
  await run(sql`
    INSERT INTO lag_rollups (group_id, topic, partition, bucket, lag) VALUES ('g', 't', 0, ${OLD}, 1), ('g', 't', 0, ${NEW}, 1)`);
  await run(sql`
    INSERT INTO tap_quarantine (topic, partition, "offset", reason, size, quarantined_at)
    VALUES ('q', 0, 1, 'SQLSTATE 22P02', 10, ${OLD}), ('q', 0, 2, 'SQLSTATE 22P02', 10, ${NEW})`);
}

for (const kind of ["postgres", "pglite"] as const) {
  test(`prunes every growing table past the cutoff, in bounded statements (${kind})`, async () => {
    const store = await openStore({ databaseUrl: kind === "postgres" ? await freshDatabase() : null, dataDir: tempDir() });
    stores.push(store);
    await seed(store);
    // The same store, counting what each DELETE statement removed.
    const perStatement: number[] = [];
    const counting: Store = {
      ...store,
      rows: async <T,>(q: SQL) => {
        const rows = await store.rows<T>(q);
        const n = (rows[0] as { n?: unknown } | undefined)?.n;
        if (typeof n === "number") perStatement.push(n);
        return rows;
      },
    };
    const result = await pruneIndex(counting, new Date(Date.now() - 7 * 86_400_000));
    assert.deepEqual(result, {
      events: 13_000 + TIED,
      flows: 1,
      auditLog: 1,
      replays: 2,
      lagEvents: 20_000,
      lagSamples: 1,
      offsetSamples: 1,
      lagRollups: 1,
      tapQuarantine: 1,
      tapInstances: 1,
      flowmapRows: 0,
      flowmapMembers: 0,
    });
    assert.ok(Math.max(...perStatement) <= Math.max(BATCH_ROWS, TIED), `no statement deletes more than a batch or one tie group: ${Math.max(...perStatement)}`);
    assert.ok(perStatement.filter((n) => n > 0).length >= 4, `the backlog went in several statements: ${perStatement.join(",")}`);

    const left = async (q: SQL) => (await store.rows<{ k: string }>(q)).map((r) => r.k).sort();
    assert.deepEqual(await left(sql`SELECT DISTINCT topic AS k FROM events`), ["new"], "records indexed recently stay, whatever their producer timestamp");
    assert.deepEqual(await left(sql`SELECT count(*)::text AS k FROM events`), ["10"]);
    assert.deepEqual(await left(sql`SELECT correlation_id AS k FROM flows`), ["new-1", "straddles"]);
    assert.deepEqual(await left(sql`SELECT instance_id AS k FROM tap_instances`), ["recent"]);
    assert.deepEqual(await left(sql`SELECT at::text AS k FROM audit_log WHERE at < now() - interval '1 day'`), []);
    assert.deepEqual(await left(sql`SELECT count(*)::text AS k FROM audit_log`), ["1"]);
    assert.deepEqual(await left(sql`SELECT replay_id AS k FROM replays`), ["new-replayed", "old-pending"], "a pending replay is never pruned");
    assert.deepEqual(await left(sql`SELECT detail AS k FROM lag_events`), ["WARN → OK"]);
    for (const [table, column] of [["lag_samples", "t"], ["offset_samples", "t"], ["lag_rollups", "bucket"], ["tap_quarantine", "quarantined_at"]] as const) {
      const [r] = await store.rows<{ old: number; recent: number }>(sql`
        SELECT count(*) FILTER (WHERE ${sql.identifier(column)} < now() - interval '1 day')::int AS old, count(*)::int AS recent FROM ${sql.identifier(table)}`);
      assert.deepEqual(r, { old: 0, recent: 1 }, table);
    }
    // A second run finds nothing more: idempotent.
    const again = await pruneIndex(store, new Date(Date.now() - 7 * 86_400_000));
    assert.ok(Object.values(again).every((n) => n === 0), JSON.stringify(again));
  });
}

test("on PGlite, retention refreshes the statistics the health count reads", async () => {
  const store = await openStore({ databaseUrl: null, dataDir: tempDir() });
  stores.push(store);
  await store.rows(sql`
    INSERT INTO events (topic, partition, "offset", ts, indexed_at, correlation_id, headers, value_kind, size)
    SELECT 'stats', 0, g, now(), now(), 'c', '{}', 'null', 0 FROM generate_series(1, 1234) g`);
  const reltuples = async () =>
    (await store.rows<{ n: number }>(sql`SELECT reltuples::float8 AS n FROM pg_class WHERE relname = 'events' AND relkind = 'r'`))[0]!.n;
  // Nothing analyses PGlite on its own (no autovacuum): "never analysed" is -1.
  assert.equal(await reltuples(), -1);
  await pruneIndex(store, new Date(Date.now() - 7 * 86_400_000));
  assert.equal(await reltuples(), 1234);
});
