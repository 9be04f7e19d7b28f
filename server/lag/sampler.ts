import "server-only";
/**
 * The lag sampler: every FLOWTAP_LAG_INTERVAL_S it lists consumer groups, their members and
 * committed offsets, reads each topic's end offsets once, and stores per-partition samples,
 * the group's state and status, and rebalance/status-change markers.
 *
 * When it runs: beside the tap (web server or `npm run tap`). With several taps, a lease in
 * the store lets one of them sample per tick.
 * Guarantees: calls are bounded (at most CONCURRENCY in flight) and each has a deadline, so a
 * slow or unreachable group is marked ERR for that tick without stalling the others. Nothing
 * is invented: no commit is "no commit", a missing topic is ERR with its reason.
 */
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Config } from "../config";
import type { Store } from "../db/client";
import { createGroupAdmin, type GroupAdmin } from "../kafka/groups";
import { computeTick, emptyMemory, type FetchedGroup, type TickOutput } from "./compute-tick";
import { mapLimit, withDeadline } from "./map-limit";

const CONCURRENCY = 8;
const CALL_DEADLINE_MS = 5_000;
/** Flowtap's own short-lived readers are not groups anyone watches. */
const IGNORED_GROUPS = /^flowtap-reader-/;

export interface LagSampler {
  tick(): Promise<TickOutput | null>;
  stop(): Promise<void>;
}

async function holdLease(store: Store, holder: string, ttlMs: number): Promise<boolean> {
  const rows = await store.rows<{ holder: string }>(sql`
    INSERT INTO leases (name, holder, until) VALUES ('lag-sampler', ${holder}, now() + make_interval(secs => ${ttlMs / 1000}))
    ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until = excluded.until
      WHERE leases.until < now() OR leases.holder = excluded.holder
    RETURNING holder`);
  return rows[0]?.holder === holder;
}

async function fetchTick(admin: GroupAdmin, config: Config) {
  const ids = (await withDeadline(admin.listGroupIds(), CALL_DEADLINE_MS, "listing groups")).filter(
    (id) => config.lagGroupsInclude.test(id) && !config.lagGroupsExclude.test(id) && !IGNORED_GROUPS.test(id),
  );
  const topicWanted = (t: string) => config.lagTopicsInclude.test(t) && !config.lagTopicsExclude.test(t);
  const described = new Map((await withDeadline(admin.describeGroups(ids), CALL_DEADLINE_MS, "describing groups")).map((g) => [g.groupId, g]));
  const groups: FetchedGroup[] = await mapLimit(ids, CONCURRENCY, async (groupId) => {
    const d = described.get(groupId);
    const base = { groupId, state: d?.state ?? "Unknown", members: d?.members ?? [] };
    try {
      const committed = await withDeadline(admin.committedOffsets(groupId), CALL_DEADLINE_MS, `offsets of ${groupId}`);
      return { ...base, committed: committed.filter((c) => topicWanted(c.topic)), error: null };
    } catch (err) {
      return { ...base, committed: null, error: err instanceof Error ? err.message : String(err) };
    }
  });
  const topics = [...new Set(groups.flatMap((g) => (g.committed ?? []).map((c) => c.topic)))];
  const ends = new Map<string, Map<number, { high: bigint; low: bigint }>>();
  await mapLimit(topics, CONCURRENCY, async (topic) => {
    try {
      const parts = await withDeadline(admin.topicEnds(topic), CALL_DEADLINE_MS, `end offsets of ${topic}`);
      ends.set(topic, new Map(parts.map((p) => [p.partition, { high: BigInt(p.high), low: BigInt(p.low) }])));
    } catch {
      // Left out of `ends`: its partitions become ERR with a reason this tick.
    }
  });
  return { groups, ends };
}

async function store(s: Store, out: TickOutput, at: string): Promise<void> {
  await s.rows(sql`
    INSERT INTO offset_samples (topic, partition, t, end_offset, start_offset)
    SELECT x.topic, x.partition, ${at}::timestamptz, x."end", x.start
    FROM json_to_recordset(${JSON.stringify(out.offsetRows)}::json) AS x(topic text, partition int, "end" bigint, start bigint)
    ON CONFLICT DO NOTHING`);
  await s.rows(sql`
    INSERT INTO lag_samples (group_id, topic, partition, t, committed, end_offset, lag, time_lag_s, status)
    SELECT x."groupId", x.topic, x.partition, ${at}::timestamptz, x.committed, x."end", x.lag, x."timeLagSeconds", x.status
    FROM json_to_recordset(${JSON.stringify(out.partitionRows)}::json)
      AS x("groupId" text, topic text, partition int, committed bigint, "end" bigint, lag bigint, "timeLagSeconds" int, status text)
    ON CONFLICT DO NOTHING`);
  // Five-minute maxima for long-range charts; null stays null unless a value arrives.
  await s.rows(sql`
    INSERT INTO lag_rollups AS r (group_id, topic, partition, bucket, lag, time_lag_s)
    SELECT x."groupId", x.topic, x.partition, date_bin('5 minutes', ${at}::timestamptz, TIMESTAMPTZ '2000-01-01'), x.lag, x."timeLagSeconds"
    FROM json_to_recordset(${JSON.stringify(out.partitionRows)}::json)
      AS x("groupId" text, topic text, partition int, lag bigint, "timeLagSeconds" int)
    ON CONFLICT (group_id, topic, partition, bucket) DO UPDATE SET
      lag = greatest(r.lag, excluded.lag), time_lag_s = greatest(r.time_lag_s, excluded.time_lag_s)`);
  await s.rows(sql`
    INSERT INTO lag_groups (group_id, state, members, assignments, status, reason, partitions, sampled_at)
    SELECT x."groupId", x.state, x.members, x.assignments, x.status, x.reason, x.partitions, ${at}::timestamptz
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

export function startLagSampler(config: Config, s: Store, log: (line: string) => void): LagSampler {
  const holder = randomUUID();
  const memory = emptyMemory();
  let admin: GroupAdmin | null = null;
  let lastError: string | null = null;

  const tick = async (): Promise<TickOutput | null> => {
    try {
      if (!(await holdLease(s, holder, config.lagIntervalMs * 3))) return null;
      admin ??= await createGroupAdmin(config.kafka);
      const fetched = await fetchTick(admin, config);
      const now = Date.now();
      const out = computeTick({ now, ...fetched }, memory, config.lagIntervalMs);
      await store(s, out, new Date(now).toISOString());
      if (lastError) log("lag sampler: sampling again");
      lastError = null;
      return out;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (message !== lastError) log(`lag sampler: tick failed, will retry: ${message}`);
      lastError = message;
      await admin?.close().catch(() => {});
      admin = null;
      return null;
    }
  };

  // One tick at a time: a tick that overruns the interval makes the timer skip, not pile up.
  let running: Promise<TickOutput | null> = tick();
  let busy = true;
  void running.finally(() => (busy = false));
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    running = tick().finally(() => (busy = false));
  }, config.lagIntervalMs);
  return {
    tick: () => (running = running.then(tick)),
    stop: async () => {
      clearInterval(timer);
      await Promise.race([running, new Promise((r) => setTimeout(r, 5_000))]);
      await admin?.close().catch(() => {});
    },
  };
}
