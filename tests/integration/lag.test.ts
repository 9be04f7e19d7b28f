// The lag sampler against the real broker and PostgreSQL: a group that stops is STOP within
// two ticks, a catching-up group's seconds-behind falls to 0, and the stored figures equal
// what the broker's own committed and end offsets give at the same moment.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import type { Consumer } from "kafkajs";
import { sql } from "drizzle-orm";
import { openStore, type Store } from "../../server/db/client";
import { consumersBehindFlow } from "../../server/lag/consumers-behind-flow";
import { getLag } from "../../server/lag/get-lag";
import { renderMetrics } from "../../server/lag/prometheus";
import { startLagSampler, type LagSampler } from "../../server/lag/sampler";
import { readTapStatus } from "../../server/tap/tap-status";
import { createTopics, freshDatabase, kafka, produce, testConfig, uniqueName, waitFor, withAdmin } from "./harness";

const run = uniqueName("");
const topic = `lag-${run}.orders`;
const STOPPER = `lag-${run}-stopper`;
const CATCHER = `lag-${run}-catcher`;
let store: Store;
let sampler: LagSampler;
const consumers: Consumer[] = [];

async function consumeCommitted(groupId: string, count: number): Promise<Consumer> {
  const c = kafka().consumer({ groupId, maxWaitTimeInMs: 200 });
  consumers.push(c);
  await c.connect();
  await c.subscribe({ topics: [topic], fromBeginning: true });
  let seen = 0;
  await c.run({ eachMessage: async () => { seen++; } });
  await waitFor(`${groupId} to read ${count}`, async () => seen >= count);
  await waitFor(`${groupId} to commit`, async () => {
    const [t] = await withAdmin((a) => a.fetchOffsets({ groupId, topics: [topic] }));
    return t!.partitions.reduce((s, p) => s + Math.max(0, Number(p.offset)), 0) >= count;
  });
  return c;
}

const group = async (id: string) => (await getLag(store, { since: new Date(Date.now() - 3_600_000), now: new Date(), intervalMs: 60_000 })).groups.find((g) => g.group === id);

before(async () => {
  await createTopics([{ topic, numPartitions: 2 }]);
  const config = testConfig({ DATABASE_URL: await freshDatabase(), FLOWTAP_LAG_INTERVAL_S: "60", FLOWTAP_LAG_GROUPS_INCLUDE: `^lag-${run}-` });
  store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  sampler = startLagSampler(config, store, () => {});
});

after(async () => {
  for (const c of consumers) await c.disconnect().catch(() => {});
  await sampler?.stop();
  await store?.close();
});

test("a group that stops consuming is STOP within two ticks, with its lag", async () => {
  await produce(topic, Array.from({ length: 40 }, (_, i) => ({ key: `k${i}`, value: "{}" })));
  const c = await consumeCommitted(STOPPER, 40);
  await sampler.tick();
  assert.equal((await group(STOPPER))?.status, "OK");
  await c.disconnect();
  await produce(topic, Array.from({ length: 25 }, (_, i) => ({ key: `m${i}`, value: "{}" })));
  let g = null;
  for (let tick = 1; tick <= 2; tick++) {
    await sampler.tick();
    g = await group(STOPPER);
    if (g?.status === "STOP") break;
  }
  assert.equal(g?.status, "STOP", `after two ticks: ${JSON.stringify(g)}`);
  assert.equal(g?.lag, 25);
  assert.equal(g?.members, 0);
  assert.match(g!.reason, /member|consum/i);
});

test("a catching-up group's seconds behind falls to 0", async () => {
  // The group starts at offset 0 while the end offsets grow across ticks.
  await withAdmin((a) => a.setOffsets({ groupId: CATCHER, topic, partitions: [{ partition: 0, offset: "0" }, { partition: 1, offset: "0" }] }));
  for (let burst = 0; burst < 3; burst++) {
    await produce(topic, Array.from({ length: 10 }, (_, i) => ({ key: `b${burst}-${i}`, value: "{}" })));
    await sampler.tick();
    await new Promise((r) => setTimeout(r, 1100));
  }
  await sampler.tick();
  const behind = await group(CATCHER);
  assert.ok(behind && behind.lag! > 0, JSON.stringify(behind));
  assert.ok(behind.timeLagSeconds !== null && behind.timeLagSeconds >= 1, `seconds behind while behind: ${behind.timeLagSeconds}`);
  const [, , total] = await Promise.all([0, 0, withAdmin(async (a) => (await a.fetchTopicOffsets(topic)).reduce((s, p) => s + Number(p.high), 0))]);
  await consumeCommitted(CATCHER, total);
  await sampler.tick();
  const caught = await group(CATCHER);
  assert.equal(caught?.lag, 0);
  assert.equal(caught?.timeLagSeconds, 0);
  assert.equal(caught?.status, "OK");
});

test("stored lag equals the broker's committed and end offsets at the same moment", async () => {
  await sampler.tick();
  const g = await group(STOPPER);
  const truth = await withAdmin(async (a) => {
    const [committed] = await a.fetchOffsets({ groupId: STOPPER, topics: [topic] });
    const ends = await a.fetchTopicOffsets(topic);
    return committed!.partitions.map((p) => ({ partition: p.partition, lag: Number(ends.find((e) => e.partition === p.partition)!.high) - Number(p.offset) }));
  });
  for (const t of truth) assert.equal(g!.partitions.find((p) => p.partition === t.partition)?.lag, t.lag, `partition ${t.partition}`);
  const [samples] = await store.rows<{ n: number }>(sql`SELECT count(DISTINCT t)::int AS n FROM lag_samples WHERE group_id = ${STOPPER}`);
  assert.ok(samples!.n >= 4, "every tick is kept for the charts");
  const detail = (await getLag(store, { group: STOPPER, since: new Date(Date.now() - 3_600_000), now: new Date(), intervalMs: 60_000 })).groups[0]!;
  assert.equal(detail.partitionSeries?.length, 2);
  assert.ok(detail.markers?.some((m) => m.kind === "status" && m.detail === "OK → STOP"), JSON.stringify(detail.markers));
  assert.ok(detail.markers?.some((m) => m.kind === "rebalance"));
  const week = (await getLag(store, { group: STOPPER, since: new Date(Date.now() - 7 * 86_400_000), now: new Date(), intervalMs: 60_000 })).groups[0]!;
  assert.equal(week.partitionSeries?.length, 2, "a 7-day chart reads the five-minute rollups");
  const [raw] = await store.rows<{ tick_max: number; partition_max_sum: number }>(sql`
    SELECT (SELECT max(s) FROM (SELECT sum(lag) AS s FROM lag_samples WHERE group_id = ${STOPPER} GROUP BY t) x)::float8 AS tick_max,
           (SELECT sum(m) FROM (SELECT max(lag) AS m FROM lag_samples WHERE group_id = ${STOPPER} GROUP BY topic, partition) y)::float8 AS partition_max_sum`);
  const weekMax = Math.max(...week.series.map((p) => p.lag ?? 0));
  assert.ok(weekMax >= raw!.tick_max && weekMax <= raw!.partition_max_sum, `rollups keep the peaks: ${weekMax} vs ${JSON.stringify(raw)}`);
  const metrics = await renderMetrics(store, await readTapStatus(store));
  assert.match(metrics, new RegExp(`flowtap_consumergroup_lag\\{group="${STOPPER}",topic="${topic.replace(/\./g, "\\.")}",partition="\\d"\\} \\d+`));
  assert.match(metrics, new RegExp(`flowtap_consumergroup_status\\{group="${STOPPER}",status="STOP"\\} 4`));
});

test("a flow whose step a stopped group has not read says so", async () => {
  // The index holds this flow's event at the end of partition 0, past the stopped group's commit.
  const ends = await withAdmin((a) => a.fetchTopicOffsets(topic));
  const last = BigInt(ends.find((e) => e.partition === 0)!.high) - 1n;
  await store.rows(sql`
    INSERT INTO events (topic, partition, "offset", ts, correlation_id, event_type, headers, value_kind, size)
    VALUES (${topic}, 0, ${last.toString()}::bigint, now(), ${`behind-${run}`}, 'OrderCompleted', '{}'::jsonb, 'null', 0)`);
  const behind = await consumersBehindFlow(store, `behind-${run}`);
  const stopper = behind.find((b) => b.group === STOPPER);
  assert.ok(stopper, JSON.stringify(behind));
  assert.equal(stopper.topic, topic);
  assert.deepEqual(stopper.eventTypes, ["OrderCompleted"]);
  assert.equal(stopper.status, "STOP");
  assert.ok(!behind.some((b) => b.group === CATCHER), "the caught-up group has read it");
});
