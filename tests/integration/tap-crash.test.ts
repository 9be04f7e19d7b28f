// The tap as its own process (`npm run tap`), killed with SIGKILL in the middle of a
// backlog and started again: every record ends up in the index exactly once, and the
// committed offset never runs ahead of what is indexed.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { resolve } from "node:path";
import postgres from "postgres";
import { brokers, createTopics, freshDatabase, groupLag, produce, uniqueName, waitFor, withAdmin } from "./harness";

const TOTAL = 60_000;
const PARTITIONS = 3;
const root = resolve(import.meta.dirname, "..", "..");
const topic = uniqueName("crash-");
const group = uniqueName("ft-crash-");
let dbUrl = "";
let sqlc: postgres.Sql;
const children = new Set<ChildProcess>();

function startTapProcess(): ChildProcess {
  const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/tap.ts"], {
    cwd: root,
    env: {
      ...process.env,
      KAFKA_BROKERS: brokers(),
      DATABASE_URL: dbUrl,
      FLOWTAP_TOPICS_INCLUDE: `^${topic}$`,
      FLOWTAP_TAP_GROUP: group,
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  children.add(child);
  child.once("exit", () => children.delete(child));
  return child;
}

async function indexed(): Promise<number> {
  const [r] = await sqlc`SELECT count(*)::int AS n FROM events WHERE topic = ${topic}`;
  return r!.n as number;
}

async function committed(): Promise<number> {
  return withAdmin(async (a) => {
    const [t] = await a.fetchOffsets({ groupId: group, topics: [topic] });
    return (t?.partitions ?? []).reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
  });
}

after(async () => {
  for (const c of children) c.kill("SIGKILL");
  await sqlc?.end();
});

test("SIGKILL mid-batch, restart: every record indexed exactly once", async () => {
  dbUrl = await freshDatabase();
  sqlc = postgres(dbUrl, { max: 2, onnotice: () => {} });
  await createTopics([{ topic, numPartitions: PARTITIONS }]);
  const payload = "p".repeat(400);
  const messages = Array.from({ length: TOTAL }, (_, i) => ({
    key: `k${i % 97}`,
    value: JSON.stringify({ eventId: `e${i}`, correlationId: `crash-flow-${i % 5000}`, type: "Tick", payload }),
  }));
  await produce(topic, messages);

  const first = startTapProcess();
  await waitFor("the first tap to index part of the backlog", async () => (await indexed()) > 5_000, { timeoutMs: 120_000, intervalMs: 20 });
  first.kill("SIGKILL");
  await new Promise((r) => first.once("exit", r));
  const afterKill = await indexed();
  const committedAfterKill = await committed();
  assert.ok(afterKill < TOTAL, `killed before the end (had ${afterKill})`);
  assert.ok(committedAfterKill <= afterKill, `committed ${committedAfterKill} must not run ahead of indexed ${afterKill}`);

  startTapProcess();
  await waitFor("all records indexed after the restart", async () => (await indexed()) === TOTAL, { timeoutMs: 180_000 });
  await waitFor("the group committed to the end", async () => (await groupLag(group, [topic])) === 0, { timeoutMs: 60_000 });

  const [dups] = await sqlc`SELECT count(*)::int AS n FROM (SELECT 1 FROM events WHERE topic = ${topic} GROUP BY partition, "offset" HAVING count(*) > 1) d`;
  assert.equal(dups!.n, 0);
  const [ids] = await sqlc`SELECT count(DISTINCT event_id)::int AS n FROM events WHERE topic = ${topic}`;
  assert.equal(ids!.n, TOTAL, "every produced event is there");
  const [flows] = await sqlc`SELECT sum(events)::int AS n, count(*)::int AS flows FROM flows WHERE correlation_id LIKE 'crash-flow-%'`;
  assert.equal(flows!.flows, 5000);
  assert.equal(flows!.n, TOTAL, "flow counts were not doubled by the re-read");
});
