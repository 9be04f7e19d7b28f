import "server-only";
// The sampler's reads for one tick, each broker or coordinator call on its own: a call that
// fails or passes its deadline costs the figures that depended on it, and only those.
//   - listing groups fails (kafkajs asks every broker; one down fails it): the groups sampled
//     last tick are sampled; the tick is given up only when nothing at all could be read,
//     which is an outage and then the stored figures stay as they were (and go stale);
//   - describing the groups at once fails (one coordinator down fails the batch): each is
//     described alone; a group still not described has unknown membership, not "no members";
//   - a group's committed offsets fail: that group is ERR with the error;
//   - a topic's end offsets fail: that topic's partitions are ERR.
import type { Config } from "../config";
import type { GroupAdmin, GroupInfo } from "../kafka/groups";
import type { FetchedGroup, TickInput } from "./compute-tick";
import { mapLimit, withDeadline } from "./map-limit";

const CONCURRENCY = 8;
const CALL_DEADLINE_MS = 5_000;
/** Flowtap's own short-lived readers are not groups anyone watches. */
const IGNORED_GROUPS = /^flowtap-reader-/;

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

async function describeEach(admin: GroupAdmin, ids: string[]): Promise<Map<string, GroupInfo>> {
  try {
    return new Map((await withDeadline(admin.describeGroups(ids), CALL_DEADLINE_MS, "describing groups")).map((g) => [g.groupId, g]));
  } catch {
    const one = await mapLimit(ids, CONCURRENCY, async (id) => {
      try {
        return (await withDeadline(admin.describeGroups([id]), CALL_DEADLINE_MS, `describing ${id}`))[0] ?? null;
      } catch {
        return null;
      }
    });
    return new Map(one.filter((g): g is GroupInfo => g !== null).map((g) => [g.groupId, g]));
  }
}

/** `known`: the group ids sampled last tick (returned as `ids`), sampled again when listing fails or misses them. */
export async function fetchTick(admin: GroupAdmin, config: Config, known: readonly string[] | null): Promise<Omit<TickInput, "now"> & { ids: string[]; listed: boolean }> {
  let listed = true;
  let all: string[];
  try {
    all = await withDeadline(admin.listGroupIds(), CALL_DEADLINE_MS, "listing groups");
  } catch (err) {
    if (known === null) throw err;
    listed = false;
    all = [...known];
  }
  // A group sampled last tick but missing from this listing is described again rather than
  // dropped: a broker whose coordinator is not ready (restarting, loading) leaves its groups
  // out of the list without an error. Only the coordinator's "Dead" says a group is gone.
  const listedNow = new Set(all);
  const wanted = (id: string) => config.lagGroupsInclude.test(id) && !config.lagGroupsExclude.test(id) && !IGNORED_GROUPS.test(id);
  const candidates = [...new Set([...all, ...(known ?? [])])].filter(wanted).sort();
  const topicWanted = (t: string) => config.lagTopicsInclude.test(t) && !config.lagTopicsExclude.test(t);
  const described = candidates.length ? await describeEach(admin, candidates) : new Map<string, GroupInfo>();
  const ids = candidates.filter((id) => listedNow.has(id) || described.get(id)?.state !== "Dead");
  const fetched: FetchedGroup[] = await mapLimit(ids, CONCURRENCY, async (groupId) => {
    const d = described.get(groupId);
    const base = { groupId, state: d?.state ?? "Unknown", members: d?.members ?? null };
    try {
      const committed = await withDeadline(admin.committedOffsets(groupId), CALL_DEADLINE_MS, `offsets of ${groupId}`);
      return { ...base, committed: committed.filter((c) => topicWanted(c.topic)), error: null };
    } catch (err) {
      return { ...base, committed: null, error: message(err) };
    }
  });
  // Unlisted and without a single commit left: gone, as far as lag goes.
  const groups = fetched.filter((g) => listedNow.has(g.groupId) || g.committed === null || g.committed.length > 0);
  if (!listed && groups.every((g) => g.committed === null)) throw new Error(`nothing could be read: ${groups[0]?.error ?? "listing groups failed"}`);
  const topics = [...new Set(groups.flatMap((g) => (g.committed ?? []).map((c) => c.topic)))];
  const ends: TickInput["ends"] = new Map();
  await mapLimit(topics, CONCURRENCY, async (topic) => {
    try {
      const parts = await withDeadline(admin.topicEnds(topic), CALL_DEADLINE_MS, `end offsets of ${topic}`);
      ends.set(topic, new Map(parts.map((p) => [p.partition, { high: BigInt(p.high), low: BigInt(p.low) }])));
    } catch {
      // Left out of `ends`: its partitions become ERR with a reason this tick.
    }
  });
  return { groups, ends, ids: groups.map((g) => g.groupId), listed };
}
