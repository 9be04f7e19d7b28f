// The lag sampler when one call fails, on the real broker and PostgreSQL: the admin client is
// the real one, wrapped so that one group's coordinator, one group's offsets and one topic's
// end offsets fail. Each failure costs only its own figures; everything else is sampled and
// stored as usual, and the stored figures say how old they are.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { sql } from "drizzle-orm";
import type { KafkaSettings } from "../../server/kafka/client";
import { createGroupAdmin, type GroupAdmin } from "../../server/kafka/groups";
import { openStore, type Store } from "../../server/db/client";
import { getLag } from "../../server/lag/get-lag";
import { renderMetrics } from "../../server/lag/prometheus";
import { startLagSampler, type LagSampler } from "../../server/lag/sampler";
import { storeTick } from "../../server/lag/store-tick";
import { MAX_TIME_LAG_S } from "../../server/lag/time-lag";
import { readTapStatus } from "../../server/tap/tap-status";
import { createTopics, freshDatabase, produce, testConfig, uniqueName, withAdmin } from "./harness";

const run = uniqueName("");
const GOOD_T = `lp-${run}.good`;
const BAD_T = `lp-${run}.bad`;
const GOOD = `lp-${run}-good`;
const NODESC = `lp-${run}-nodesc`;
const NOOFF = `lp-${run}-nooff`;
const MIXED = `lp-${run}-mixed`;
const INTERVAL_MS = 60_000;
let store: Store;
let sampler: LagSampler;

/** How listing groups behaves this tick: as the broker says, failing, or leaving GOOD out (its coordinator not ready). */
let listing: "real" | "fail" | "without-good" = "real";

/** The real admin client; only the calls named here fail, and only for the group or topic named. */
async function failingAdmin(settings: KafkaSettings): Promise<GroupAdmin> {
  const real = await createGroupAdmin(settings);
  return {
    ...real,
    listGroupIds: async () => {
      if (listing === "fail") throw new Error("injected: a broker does not answer ListGroups");
      const ids = await real.listGroupIds();
      return listing === "without-good" ? ids.filter((id) => id !== GOOD) : ids;
    },
    describeGroups: async (ids) => {
      if (ids.includes(NODESC)) throw new Error(`injected: the coordinator of ${NODESC} does not answer`);
      return real.describeGroups(ids);
    },
    committedOffsets: async (id) => {
      if (id === NOOFF) throw new Error("injected: fetchOffsets failed");
      return real.committedOffsets(id);
    },
    topicEnds: async (topic) => {
      if (topic === BAD_T) throw new Error("injected: listOffsets failed");
      return real.topicEnds(topic);
    },
  };
}

const answer = (now = new Date()) => getLag(store, { since: new Date(now.getTime() - 3_600_000), now, intervalMs: INTERVAL_MS });
const group = async (id: string, now?: Date) => (await answer(now)).groups.find((g) => g.group === id);

before(async () => {
  await createTopics([{ topic: GOOD_T }, { topic: BAD_T }]);
  await produce(GOOD_T, Array.from({ length: 10 }, (_, i) => ({ key: `k${i}`, value: "{}" })));
  await produce(BAD_T, Array.from({ length: 5 }, (_, i) => ({ key: `k${i}`, value: "{}" })));
  await withAdmin(async (a) => {
    await a.setOffsets({ groupId: GOOD, topic: GOOD_T, partitions: [{ partition: 0, offset: "10" }] });
    await a.setOffsets({ groupId: NODESC, topic: GOOD_T, partitions: [{ partition: 0, offset: "4" }] });
    await a.setOffsets({ groupId: NOOFF, topic: GOOD_T, partitions: [{ partition: 0, offset: "10" }] });
    await a.setOffsets({ groupId: MIXED, topic: GOOD_T, partitions: [{ partition: 0, offset: "10" }] });
    await a.setOffsets({ groupId: MIXED, topic: BAD_T, partitions: [{ partition: 0, offset: "2" }] });
  });
  const config = testConfig({ DATABASE_URL: await freshDatabase(), FLOWTAP_LAG_INTERVAL_S: String(INTERVAL_MS / 1000), FLOWTAP_LAG_GROUPS_INCLUDE: `^lp-${run}-` });
  store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  sampler = startLagSampler(config, store, () => {}, { createAdmin: failingAdmin });
});

after(async () => {
  await sampler?.stop();
  await store?.close();
});

test("one group's coordinator, one group's offsets and one topic failing: the rest is sampled and stored", async () => {
  assert.ok(await sampler.tick(), "the tick is not dropped");
  assert.ok(await sampler.tick(), "nor the next");
  const truth = await withAdmin(async (a) => {
    const end = Number((await a.fetchTopicOffsets(GOOD_T))[0]!.high);
    const committed = async (groupId: string) => Number((await a.fetchOffsets({ groupId, topics: [GOOD_T] }))[0]!.partitions[0]!.offset);
    return { good: end - (await committed(GOOD)), nodesc: end - (await committed(NODESC)) };
  });
  const good = await group(GOOD);
  assert.equal(good?.status, "OK", JSON.stringify(good));
  assert.equal(good?.lag, truth.good);
  assert.equal(good?.members, 0);

  const nodesc = await group(NODESC);
  assert.equal(nodesc?.lag, truth.nodesc, "its figures are there: only its membership was lost");
  assert.equal(nodesc?.state, "Unknown");
  assert.equal(nodesc?.members, null, "membership unknown, not zero");
  assert.notEqual(nodesc?.status, "STOP", "an unread membership is not an empty group");

  const nooff = await group(NOOFF);
  assert.equal(nooff?.status, "ERR");
  assert.match(nooff!.reason, /fetchOffsets failed/);
  assert.deepEqual(nooff?.partitions, [], "no figures invented");

  const mixed = await group(MIXED);
  assert.equal(mixed?.status, "ERR");
  const [bad, ok] = [mixed!.partitions.find((p) => p.topic === BAD_T), mixed!.partitions.find((p) => p.topic === GOOD_T)];
  assert.equal(bad?.status, "ERR");
  assert.equal(bad?.lag, null);
  assert.equal(ok?.status, "OK");
  assert.equal(ok?.lag, 0);
});

test("listing groups fails, or leaves a group out: the groups sampled last tick are still sampled", async () => {
  try {
    for (const mode of ["fail", "without-good"] as const) {
      listing = mode;
      assert.ok(await sampler.tick(), `${mode}: the tick is not dropped`);
      const good = await group(GOOD);
      assert.equal(good?.status, "OK", `${mode}: ${JSON.stringify(good)}`);
      assert.equal(good?.lag, 0);
      assert.equal((await group(NOOFF))?.status, "ERR", `${mode}: the failing group still says why`);
    }
  } finally {
    listing = "real";
  }
});

test("the lag API and /metrics say how old the figures are, and when they are stale", async () => {
  const fresh = await answer();
  assert.ok(fresh.sampledAt);
  assert.equal(fresh.stale, false);
  assert.ok(fresh.sampleAgeSeconds !== null && fresh.sampleAgeSeconds < 60, String(fresh.sampleAgeSeconds));
  const sampledAt = Date.parse(fresh.sampledAt);
  // Three intervals old is not stale yet; past it, it is: the sampler has missed three ticks.
  const edge = await answer(new Date(sampledAt + 3 * INTERVAL_MS));
  assert.equal(edge.stale, false);
  assert.ok(edge.groups.every((g) => !g.stale));
  const later = new Date(sampledAt + 3 * INTERVAL_MS + 1_000);
  const old = await answer(later);
  assert.equal(old.stale, true);
  assert.equal(old.sampleAgeSeconds, 181);
  const good = old.groups.find((g) => g.group === GOOD)!;
  assert.equal(good.stale, true);
  assert.equal(good.sampleAgeSeconds, 181);
  assert.equal(good.lag, 0, "the figures are still shown, marked stale");
  const metrics = await renderMetrics(store, await readTapStatus(store), later);
  assert.match(metrics, /# TYPE flowtap_lag_sample_age_seconds gauge/);
  assert.match(metrics, new RegExp(`flowtap_lag_sample_age_seconds\\{group="${GOOD}"\\} 181\\n`));
  assert.doesNotMatch(metrics, new RegExp(`flowtap_consumergroup_members\\{group="${NODESC}"\\}`), "unknown membership is not exported as 0");
});

test("seconds behind past int4 (68 years) are stored and read back, up to the maximum", async () => {
  const other = await openStore({ databaseUrl: await freshDatabase(), dataDir: "" });
  try {
    const at = new Date().toISOString();
    const row = (partition: number, s: number) => ({ groupId: "huge", topic: "t", partition, committed: "1", end: "2", lag: 1, timeLagSeconds: s, status: "OK" as const, reason: "" });
    const partitionRows = [row(0, 5_000_000_000), row(1, MAX_TIME_LAG_S)];
    await storeTick(other, {
      offsetRows: [],
      partitionRows,
      groupRows: [{ groupId: "huge", state: "Stable", members: 1, assignments: {}, status: "OK", reason: "" }],
      events: [],
    }, at);
    const samples = await other.rows<{ s: string }>(sql`SELECT time_lag_s::text AS s FROM lag_samples ORDER BY partition`);
    assert.deepEqual(samples.map((r) => r.s), ["5000000000", String(MAX_TIME_LAG_S)]);
    const rollups = await other.rows<{ s: string }>(sql`SELECT time_lag_s::text AS s FROM lag_rollups ORDER BY partition`);
    assert.deepEqual(rollups.map((r) => r.s), ["5000000000", String(MAX_TIME_LAG_S)]);
    const g = (await getLag(other, { since: new Date(Date.now() - 3_600_000), now: new Date(), intervalMs: INTERVAL_MS })).groups[0]!;
    assert.equal(g.timeLagSeconds, MAX_TIME_LAG_S);
    assert.deepEqual(g.series.map((p) => p.timeLag), [MAX_TIME_LAG_S], "the chart's series is a number too, not a bigint string");
  } finally {
    await other.close();
  }
});
