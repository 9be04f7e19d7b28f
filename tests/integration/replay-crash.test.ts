// A bulk replay process killed with SIGKILL part-way: afterwards every dead letter is replayed
// exactly once (the interrupted claims are reconciled from the target partitions, not re-sent),
// and the ledger says which attempt sent each one.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { sql } from "drizzle-orm";
import { openStore, type Store } from "../../server/db/client";
import { replayRecords } from "../../server/replay/replay-records";
import { replayTargets } from "../../server/replay/targets";
import { startTap } from "../../server/tap/tap";
import { brokers, createTopics, freshDatabase, produce, testConfig, uniqueName, waitFor, withAdmin } from "./harness";

const N = 1500;
const run = uniqueName("");
const SRC = `rc-${run}.payments`;
const DLT = `rc-${run}.payments.DLT`;
let store: Store | undefined;
after(async () => {
  await store?.close();
});

const int32 = (n: number) => { const b = Buffer.alloc(4); b.writeInt32BE(n); return b; };
const int64 = (n: number) => { const b = Buffer.alloc(8); b.writeBigInt64BE(BigInt(n)); return b; };
const onSource = () => withAdmin(async (a) => (await a.fetchTopicOffsets(SRC)).reduce((s, p) => s + Number(p.high), 0));

test("SIGKILL in the middle of a bulk replay: each record replayed once, the ledger knows which", { timeout: 300_000 }, async () => {
  const dbUrl = await freshDatabase();
  await createTopics([{ topic: SRC, numPartitions: 3 }, { topic: DLT }]);
  await produce(DLT, Array.from({ length: N }, (_, i) => ({
    key: `k${i}`,
    value: JSON.stringify({ n: i }),
    headers: { "kafka_dlt-original-topic": SRC, "kafka_dlt-original-partition": int32(i % 3), "kafka_dlt-original-offset": int64(i) },
  })));
  const config = testConfig({ DATABASE_URL: dbUrl, FLOWTAP_TOPICS_INCLUDE: `^${DLT.replace(/\./g, "\\.")}$`, FLOWTAP_TAP_GROUP: uniqueName("ft-rc-"), FLOWTAP_REPLAY_TARGETS: `^${SRC.replace(/\./g, "\\.")}$` });
  const s = await openStore({ databaseUrl: dbUrl, dataDir: config.dataDir });
  store = s;
  const tap = await startTap(config, s, () => {});
  await waitFor("the dead letters indexed", async () => {
    const [r] = await s.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM events WHERE topic = ${DLT}`);
    return r!.n === N;
  });
  await tap.stop();

  const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "tests/integration/replay-worker.ts"], {
    cwd: resolve(import.meta.dirname, "..", ".."),
    env: { ...process.env, KAFKA_BROKERS: brokers(), DATABASE_URL: dbUrl, REPLAY_TOPIC: DLT, REPLAY_COUNT: String(N) },
    stdio: ["ignore", "ignore", "inherit"],
  });
  await waitFor("the worker to be part-way", async () => {
    const [r] = await s.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM replays WHERE dlq_topic = ${DLT}`);
    return r!.n >= 300;
  }, { timeoutMs: 120_000, intervalMs: 20 });
  child.kill("SIGKILL");
  await new Promise((r) => child.once("exit", r));
  const [mid] = await s.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM replays WHERE dlq_topic = ${DLT} AND status = 'replayed'`);
  assert.ok(mid!.n < N, `killed part-way (${mid!.n} of ${N} settled)`);

  // Another operator replays everything; claims the dead worker left pending are settled first.
  const refs = Array.from({ length: N }, (_, i) => ({ topic: DLT, partition: 0, offset: String(i) }));
  for (let i = 0; i < N; i += 1000) {
    const results = await replayRecords(s, config.kafka, refs.slice(i, i + 1000), { actor: "op", force: false, dryRun: false, maxCycles: 3, staleAfterMs: 0, targets: replayTargets(config) });
    assert.ok(results.every((r) => r.status === "replayed" || r.status === "already-replayed"), JSON.stringify(results.find((r) => r.status === "failed")));
  }
  assert.equal(await onSource(), N, "exactly one record on the source topic per dead letter");
  const [ledger] = await s.rows<{ replayed: number; records: number; pending: number }>(sql`
    SELECT count(*) FILTER (WHERE status = 'replayed')::int AS replayed,
           count(DISTINCT dlq_offset) FILTER (WHERE status = 'replayed')::int AS records,
           count(*) FILTER (WHERE status = 'pending')::int AS pending
    FROM replays WHERE dlq_topic = ${DLT}`);
  assert.deepEqual(ledger, { replayed: N, records: N, pending: 0 }, "one replayed attempt per record, nothing left pending");
});
