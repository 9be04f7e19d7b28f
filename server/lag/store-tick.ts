import "server-only";
// Writes one sampler tick: end offsets, per-partition samples, five-minute rollups, each group's
// latest state, and the rebalance/status markers. Seconds behind are bigint all the way, the JSON
// record types included: an int4 cast there overflowed at 68 years behind and failed the insert
// of every group's samples, every tick. Unknown membership is stored as 0 members with state
// "Unknown" (the column is not null); readers show it as unknown.
import { sql } from "drizzle-orm";
import type { Store } from "../db/client";
import type { TickOutput } from "./compute-tick";

export async function storeTick(s: Store, out: TickOutput, at: string): Promise<void> {
  await s.rows(sql`
    INSERT INTO offset_samples (topic, partition, t, end_offset, start_offset)
    SELECT x.topic, x.partition, ${at}::timestamptz, x."end", x.start
    FROM json_to_recordset(${JSON.stringify(out.offsetRows)}::json) AS x(topic text, partition int, "end" bigint, start bigint)
    ON CONFLICT DO NOTHING`);
  await s.rows(sql`
    INSERT INTO lag_samples (group_id, topic, partition, t, committed, end_offset, lag, time_lag_s, status)
    SELECT x."groupId", x.topic, x.partition, ${at}::timestamptz, x.committed, x."end", x.lag, x."timeLagSeconds", x.status
    FROM json_to_recordset(${JSON.stringify(out.partitionRows)}::json)
      AS x("groupId" text, topic text, partition int, committed bigint, "end" bigint, lag bigint, "timeLagSeconds" bigint, status text)
    ON CONFLICT DO NOTHING`);
  // Five-minute maxima for long-range charts; null stays null unless a value arrives.
  await s.rows(sql`
    INSERT INTO lag_rollups AS r (group_id, topic, partition, bucket, lag, time_lag_s)
    SELECT x."groupId", x.topic, x.partition, date_bin('5 minutes', ${at}::timestamptz, TIMESTAMPTZ '2000-01-01'), x.lag, x."timeLagSeconds"
    FROM json_to_recordset(${JSON.stringify(out.partitionRows)}::json)
      AS x("groupId" text, topic text, partition int, lag bigint, "timeLagSeconds" bigint)
    ON CONFLICT (group_id, topic, partition, bucket) DO UPDATE SET
      lag = greatest(r.lag, excluded.lag), time_lag_s = greatest(r.time_lag_s, excluded.time_lag_s)`);
  await s.rows(sql`
    INSERT INTO lag_groups (group_id, state, members, assignments, status, reason, partitions, sampled_at)
    SELECT x."groupId", x.state, coalesce(x.members, 0), x.assignments, x.status, x.reason, x.partitions, ${at}::timestamptz
    FROM json_to_recordset(${JSON.stringify(out.groupRows.map((g) => ({ ...g, partitions: out.partitionRows.filter((p) => p.groupId === g.groupId) })))}::json)
      AS x("groupId" text, state text, members int, assignments jsonb, status text, reason text, partitions jsonb)
    ON CONFLICT (group_id) DO UPDATE SET state = excluded.state, members = excluded.members, assignments = excluded.assignments,
      status = excluded.status, reason = excluded.reason, partitions = excluded.partitions, sampled_at = excluded.sampled_at`);
  // Groups that no longer exist leave the overview (their samples stay for the charts).
  await s.rows(sql`DELETE FROM lag_groups WHERE sampled_at < ${at}::timestamptz`);
  if (out.events.length) {
    await s.rows(sql`
      INSERT INTO lag_events (group_id, t, kind, detail)
      SELECT x."groupId", ${at}::timestamptz, x.kind, x.detail FROM json_to_recordset(${JSON.stringify(out.events)}::json) AS x("groupId" text, kind text, detail text)`);
  }
}
