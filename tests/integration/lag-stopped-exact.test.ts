// A group that stops, against the real broker and PostgreSQL: its seconds behind is now − the
// indexed time of the first record it has not read (exact, where interpolation left it blank),
// the lag API and /metrics carry it, and "where is my event now" says the group is not consuming.
// A partition whose records are not indexed falls back to interpolation.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { sql } from "drizzle-orm";
import { openStore, type Store } from "../../server/db/client";
import { consumersBehindFlow } from "../../server/lag/consumers-behind-flow";
import { getLag } from "../../server/lag/get-lag";
import { renderMetrics } from "../../server/lag/prometheus";
import { startLagSampler, type LagSampler } from "../../server/lag/sampler";
import { readTapStatus } from "../../server/tap/tap-status";
import { createTopics, freshDatabase, kafka, produce, testConfig, uniqueName, waitFor, withAdmin } from "./harness";
import { parseExposition } from "../unit/metrics-exposition-parser";

const run = uniqueName("");
const topic = `lagx-${run}.orders`;
const GROUP = `lagx-${run}-billing`;
const FLOW = `lagx-flow-${run}`;
/** The records were produced two hours ago (the producer's timestamps say so). */
const PRODUCED = Date.now() - 2 * 3_600_000;
let store: Store;
let sampler: LagSampler;

before(async () => {
  await createTopics([{ topic, numPartitions: 2 }]);
  const config = testConfig({ DATABASE_URL: await freshDatabase(), FLOWTAP_LAG_INTERVAL_S: "60", FLOWTAP_LAG_GROUPS_INCLUDE: `^lagx-${run}-` });
  store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  sampler = startLagSampler(config, store, () => {});
});

after(async () => {
  await sampler?.stop();
  await store?.close();
});

test("a stopped group's seconds behind is measured from the first unread record's indexed time", async () => {
  // 30 records a partition, one a second from PRODUCED; only partition 0's are in the index.
  for (const partition of [0, 1]) {
    await produce(topic, Array.from({ length: 30 }, (_, i) => ({ partition, key: `k${i}`, value: "{}", timestamp: String(PRODUCED + i * 1000) })));
  }
  await store.rows(sql`
    INSERT INTO events (topic, partition, "offset", ts, correlation_id, event_type, service, headers, value_kind, size)
    SELECT ${topic}, 0, o, to_timestamp((${PRODUCED}::float8 + o * 1000) / 1000), CASE WHEN o = 25 THEN ${FLOW} END, 'InvoiceRequested', 'orders', '{}'::json, 'null', 2
    FROM generate_series(0, 29) AS o`);
  // The group reads each partition, commits after its 10th record, and stops there.
  const c = kafka().consumer({ groupId: GROUP, maxWaitTimeInMs: 200 });
  await c.connect();
  await c.subscribe({ topics: [topic], fromBeginning: true });
  await c.run({
    autoCommit: false,
    eachMessage: async ({ partition, message }) => {
      if (message.offset === "9") await c.commitOffsets([{ topic, partition, offset: "10" }]);
    },
  });
  await waitFor("both partitions committed at 10", async () => {
    const [t] = await withAdmin((a) => a.fetchOffsets({ groupId: GROUP, topics: [topic] }));
    return t!.partitions.every((p) => p.offset === "10");
  });
  await sampler.tick();
  await c.disconnect();
  await waitFor("the group empty", async () => (await withAdmin((a) => a.describeGroups([GROUP]))).groups[0]?.state === "Empty");

  await sampler.tick();
  await sampler.tick();
  const g = (await getLag(store, { group: GROUP, since: new Date(Date.now() - 3_600_000), now: new Date(), intervalMs: 60_000 })).groups[0]!;
  assert.equal(g.status, "STOP", JSON.stringify(g));
  const p0 = g.partitions.find((p) => p.partition === 0)!;
  const p1 = g.partitions.find((p) => p.partition === 1)!;
  assert.equal(p0.lag, 20);
  assert.equal(p0.timeLagSource, "record");
  // Record 10 was produced at PRODUCED + 10 s; the tick ran a moment ago.
  const expected = (Date.now() - (PRODUCED + 10_000)) / 1000;
  assert.ok(Math.abs(p0.timeLagSeconds! - expected) <= 5, `${p0.timeLagSeconds} s vs ${expected} s`);
  // Partition 1 is not indexed: interpolation has only flat end offsets to go by, so it stays blank.
  assert.deepEqual([p1.lag, p1.timeLagSeconds, p1.timeLagSource], [20, null, null]);
  assert.equal(g.timeLagSeconds, p0.timeLagSeconds, "the group's figure is its worst partition's");

  const metrics = parseExposition(await renderMetrics(store, await readTapStatus(store), new Date(), { clusterName: "test" }));
  const secs = metrics.get("kafka_consumergroup_group_lag_seconds")!.samples.find((s) => s.labels.group === GROUP && s.labels.partition === "0");
  assert.equal(secs?.value, p0.timeLagSeconds);
  assert.deepEqual([secs?.labels.member_host, secs?.labels.consumer_id, secs?.labels.client_id], ["unknown", "unknown", "unknown"]);
  assert.equal(metrics.get("kafka_consumergroup_group_sum_lag")!.samples.find((s) => s.labels.group === GROUP)?.value, 40);
  const [latest] = metrics.get("kafka_partition_latest_offset")!.samples.filter((s) => s.labels.topic === topic && s.labels.partition === "0");
  assert.equal(latest?.value, 30);

  const behind = (await consumersBehindFlow(store, FLOW, { intervalMs: 60_000 })).find((b) => b.group === GROUP)!;
  assert.ok(behind, "the stopped group has not read the flow's event");
  assert.equal(behind.eta?.state, "not-consuming");
  assert.match(behind.eta!.reason, /no active members/);
  assert.deepEqual(behind.events.map((e) => [e.partition, e.offset, e.committed, e.partitionLag, e.secondsBehindSource, e.eta.recordsBefore]), [[0, "25", "10", 20, "record", 16]]);
});
