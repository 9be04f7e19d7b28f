// "Where is my event now", end to end over the store (PGlite; the PostgreSQL path with a real
// stopped group is lag-stopped-exact.test.ts): the sampler's stored ticks of a group reading
// about 2 records a second give an ETA for a flow's unread event; a partition that was caught up
// until the event arrived takes the pace of the topic's other partitions.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { sql } from "drizzle-orm";
import { openStore, type Store } from "../../server/db/client";
import { consumersBehindFlow } from "../../server/lag/consumers-behind-flow";
import { tempDir } from "./harness";

let store: Store;
const NOW = Date.now();
const iso = (ms: number) => new Date(ms).toISOString();

before(async () => {
  store = await openStore({ databaseUrl: null, dataDir: tempDir("lag-eta-") });
  // 13 ticks, 10 s apart, ending now. Partition 0 reads 20 records a tick with 200 waiting; partition 1 was caught up at 500.
  for (let i = 0; i <= 12; i++) {
    const t = iso(NOW - (12 - i) * 10_000);
    await store.rows(sql`INSERT INTO lag_samples (group_id, topic, partition, t, committed, end_offset, lag, time_lag_s, status) VALUES
      ('live', 'orders', 0, ${t}::timestamptz, ${i * 20}, ${i * 20 + 200}, 200, 5, 'OK'),
      ('live', 'orders', 1, ${t}::timestamptz, 500, ${i === 12 ? 510 : 500}, ${i === 12 ? 10 : 0}, 0, 'OK')`);
  }
  const partitions = [
    { groupId: "live", topic: "orders", partition: 0, committed: "240", end: "440", lag: 200, timeLagSeconds: 5, timeLagSource: "record", status: "OK", reason: "" },
    { groupId: "live", topic: "orders", partition: 1, committed: "500", end: "510", lag: 10, timeLagSeconds: 1, timeLagSource: "interpolated", status: "OK", reason: "" },
  ];
  await store.rows(sql`INSERT INTO lag_groups (group_id, state, members, assignments, status, reason, partitions, sampled_at)
    VALUES ('live', 'Stable', 2, '{}'::jsonb, 'OK', 'ok', ${JSON.stringify(partitions)}::jsonb, ${iso(NOW)}::timestamptz)`);
  await store.rows(sql`INSERT INTO events (topic, partition, "offset", ts, correlation_id, event_type, headers, value_kind, size) VALUES
    ('orders', 0, 299, now(), 'flow-1', 'OrderPaid', '{}'::json, 'null', 2),
    ('orders', 1, 504, now(), 'flow-2', 'OrderPaid', '{}'::json, 'null', 2),
    ('orders', 0, 100, now(), 'flow-3', 'OrderPaid', '{}'::json, 'null', 2)`);
});

after(async () => {
  await store?.close();
});

test("a consuming group: records before the event at its partition's pace", async () => {
  const [b] = await consumersBehindFlow(store, "flow-1", { intervalMs: 10_000, now: new Date(NOW) });
  assert.equal(b?.group, "live");
  assert.equal(b.members, 2);
  const e = b.events[0]!;
  assert.deepEqual([e.partition, e.offset, e.committed, e.partitionLag, e.partitionSecondsBehind, e.secondsBehindSource], [0, "299", "240", 200, 5, "record"]);
  // 60 records (240…299) at 2 a second.
  assert.deepEqual([e.eta.state, e.eta.recordsBefore, e.eta.ratePerSecond, e.eta.etaSeconds, e.eta.basis], ["consuming", 60, 2, 30, "partition"]);
  assert.deepEqual(b.eta, e.eta);
});

test("a partition caught up until the event arrived takes the topic's pace", async () => {
  const [b] = await consumersBehindFlow(store, "flow-2", { intervalMs: 10_000, now: new Date(NOW) });
  // Partition 1 had nothing to read before the last tick; partition 0 read 240 records in 120 s.
  assert.deepEqual([b?.eta?.state, b?.eta?.basis, b?.eta?.recordsBefore, b?.eta?.ratePerSecond, b?.eta?.etaSeconds], ["consuming", "topic", 5, 2, 2.5]);
});

test("an event the group has read is not listed", async () => {
  assert.deepEqual(await consumersBehindFlow(store, "flow-3", { intervalMs: 10_000, now: new Date(NOW) }), []);
});
