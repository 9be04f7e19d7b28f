// Lag chart benchmark: one group's 7-day history at full partition detail (a sample every
// 10 s for 6 partitions over 7 days, and their five-minute rollups, as the sampler stores
// them), read through the same query the /lag/{group} page uses; beside the same range for a
// group with one hour of history.
import { sql } from "drizzle-orm";
import type { Store } from "../../server/db/client";
import { getLag } from "../../server/lag/get-lag";
import { percentile } from "./bench-measure";

const PARTITIONS = 6;
const STEP_S = 10;

async function seed(store: Store, group: string, seconds: number): Promise<number> {
  const partitions = JSON.stringify(Array.from({ length: PARTITIONS }, (_, p) => ({ groupId: group, topic: "bench.lag", partition: p, committed: "100", end: "150", lag: 50, timeLagSeconds: 12, status: "OK", reason: "lag 50" })));
  await store.rows(sql`
    INSERT INTO lag_samples (group_id, topic, partition, t, committed, end_offset, lag, time_lag_s, status)
    SELECT ${group}, 'bench.lag', p, now() - make_interval(secs => s), 1000 + s, 1050 + s + (s % 97), 50 + (s % 97), 5 + (s % 60), 'OK'
    FROM generate_series(0, ${seconds}, ${STEP_S}) AS s, generate_series(0, ${PARTITIONS - 1}) AS p`);
  await store.rows(sql`
    INSERT INTO lag_rollups (group_id, topic, partition, bucket, lag, time_lag_s)
    SELECT group_id, topic, partition, date_bin('5 minutes', t, TIMESTAMPTZ '2000-01-01'), max(lag), max(time_lag_s)
    FROM lag_samples WHERE group_id = ${group} GROUP BY 1, 2, 3, 4`);
  await store.rows(sql`
    INSERT INTO lag_groups (group_id, state, members, assignments, status, reason, partitions, sampled_at)
    VALUES (${group}, 'Stable', 1, '{}'::jsonb, 'OK', 'all partitions OK', ${partitions}::jsonb, now())`);
  await store.rows(sql`ANALYZE lag_samples`);
  await store.rows(sql`ANALYZE lag_rollups`);
  return Math.floor(seconds / STEP_S + 1) * PARTITIONS;
}

export async function benchLagChart(store: Store): Promise<{ rows: number; p50: number; p99: number; baselineP50: number }> {
  const rows = await seed(store, "bench-lag-7d", 7 * 86_400);
  await seed(store, "bench-lag-1h", 3_600);
  const time = async (group: string) => {
    const ms: number[] = [];
    for (let i = 0; i < 12; i++) {
      const now = new Date();
      const t = performance.now();
      const r = await getLag(store, { group, since: new Date(now.getTime() - 7 * 86_400_000), now, intervalMs: STEP_S * 1000 });
      ms.push(performance.now() - t);
      if (!r.groups[0]?.partitionSeries?.length) throw new Error("no partition series");
    }
    return ms.slice(2).sort((a, b) => a - b);
  };
  const base = await time("bench-lag-1h");
  const full = await time("bench-lag-7d");
  return { rows, p50: percentile(full, 50), p99: percentile(full, 99), baselineP50: percentile(base, 50) };
}
