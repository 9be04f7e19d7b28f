// The tap against the real broker, into real PostgreSQL and into PGlite: every fixture
// shape and every bad input is indexed once, findable, and committed only after the write.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import type { IHeaders, Message } from "kafkajs";
import { sql } from "drizzle-orm";
import { openStore, type Store } from "../../server/db/client";
import { startTap, type Tap } from "../../server/tap/tap";
import { findFlow } from "../../server/flows/find-flow";
import { searchIndex } from "../../server/flows/search-index";
import { listRecentFlows } from "../../server/flows/list-recent-flows";
import { EVENT_COLUMNS, toEventJson, type EventJson, type EventRow } from "../../server/flows/event-json";
import { loadFixtures, type FixtureBytes } from "../unit/fixture-record";
import {
  createTopics, freshDatabase, groupLag, tempDir, testConfig, uniqueName, waitFor, withAdmin, withProducer,
} from "./harness";

const fixtures = loadFixtures(join(import.meta.dirname, "..", "fixtures", "records.json"));
const run = uniqueName("");
const badTopic = `ft-bad-${run}`;
const lateTopic = `ft-late-${run}`;
const fixtureTopics = [...new Set(fixtures.map((f) => f.record.topic))];
const include = `^(?:${fixtureTopics.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|")}|ft-bad-${run}|ft-late-${run}-(?:postgres|pglite))$`;

const bytes = (b: FixtureBytes) => ("utf8" in b ? Buffer.from(b.utf8, "utf8") : Buffer.from(b.base64, "base64"));

function deepJson(depth: number): string {
  return "[".repeat(depth) + "]".repeat(depth);
}

/** Records no sane producer sends, which the tap must survive and index anyway. */
function badMessages(): Array<{ name: string; message: Message }> {
  const bigPayload = JSON.stringify({ blob: "x".repeat(2 * 1024 * 1024), correlationId: `big-${run}` });
  return [
    { name: "2 MB JSON", message: { value: bigPayload, key: `big-key-${run}` } },
    { name: "100k-deep nesting", message: { value: deepJson(100_000), headers: { "x-correlation-id": `deep-${run}` } } },
    { name: "not UTF-8", message: { value: Buffer.from([0xff, 0xfe, 0x00, 0xc3, 0x28]), headers: { "x-correlation-id": `bin-${run}` } } },
    { name: "not JSON", message: { value: "hello, { not json", headers: { "x-correlation-id": `text-${run}` } } },
    { name: "NUL escapes", message: { value: '{"correlationId":"nul-' + run + '","s":"a\\u0000b","lone":"\\ud800"}' } },
    { name: "10k-char correlation id", message: { value: "{}", headers: { "x-correlation-id": "c".repeat(10_000) } } },
    { name: "binary header", message: { value: "{}", headers: { "x-correlation-id": Buffer.from([0xff, 0x00, 0x01]), "x-service": `svc-${run}` } } },
    { name: "tombstone", message: { key: `tomb-${run}`, value: null } },
    { name: "no headers, no key", message: { value: '{"eventId":"loose-' + run + '"}' } },
  ];
}

function expectHolds(name: string, e: EventJson, expect: Record<string, unknown>): void {
  for (const [field, want] of Object.entries(expect)) {
    if (field === "valueIsBinary") assert.equal(e.valueKind === "binary", want, `${name}: valueIsBinary`);
    else if (field === "tombstone") assert.equal(e.tombstone, want, `${name}: tombstone`);
    else if (field === "dlq") {
      if (want === null) assert.equal(e.dlq, null, `${name}: dlq`);
      else for (const [k, v] of Object.entries(want as object)) assert.deepEqual((e.dlq as unknown as Record<string, unknown>)?.[k], v, `${name}: dlq.${k}`);
    } else assert.deepEqual((e as unknown as Record<string, unknown>)[field], want, `${name}: ${field}`);
  }
}

async function countEvents(store: Store, topics: string[]): Promise<number> {
  const [r] = await store.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM events WHERE topic IN (${sql.join(topics.map((t) => sql`${t}`), sql`, `)})`);
  return r?.n ?? 0;
}

const produced: Array<{ name: string; topic: string; partition: number; offset: string; expect?: Record<string, unknown> }> = [];

before(async () => {
  await withAdmin(async (a) => {
    const existing = new Set(await a.listTopics());
    const missing = [...fixtureTopics, badTopic].filter((t) => !existing.has(t));
    if (missing.length) await a.createTopics({ topics: missing.map((topic) => ({ topic })), waitForLeaders: true });
  });
  await withProducer(async (p) => {
    for (const f of fixtures) {
      const headers: IHeaders = {};
      for (const [k, v] of Object.entries(f.record.headers)) if (v !== null) headers[k] = Array.isArray(v) ? v.map(bytes) : bytes(v);
      const [meta] = await p.send({
        topic: f.record.topic,
        messages: [{
          key: f.record.key ? bytes(f.record.key) : null,
          value: f.record.value ? bytes(f.record.value) : null,
          headers,
          timestamp: String(Date.parse(f.record.timestamp)),
        }],
      });
      produced.push({ name: f.name, topic: f.record.topic, partition: meta!.partition, offset: meta!.baseOffset!, expect: f.expect });
    }
    for (const b of badMessages()) {
      const [meta] = await p.send({ topic: badTopic, messages: [b.message] });
      produced.push({ name: b.name, topic: badTopic, partition: meta!.partition, offset: meta!.baseOffset! });
    }
  });
});

for (const kind of ["postgres", "pglite"] as const) {
  describe(`tap into ${kind}`, () => {
    let store: Store;
    let tap: Tap | null = null;
    const group = uniqueName(`ft-tap-${kind}-`);
    let config: ReturnType<typeof testConfig>;

    before(async () => {
      const dataDir = tempDir();
      config = testConfig({
        DATABASE_URL: kind === "postgres" ? await freshDatabase() : undefined,
        FLOWTAP_DATA_DIR: dataDir,
        FLOWTAP_TOPICS_INCLUDE: include,
        FLOWTAP_TAP_GROUP: group,
      });
      store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
      tap = await startTap(config, store, () => {});
    });

    after(async () => {
      await tap?.stop();
      await store?.close();
    });

    const allTopics = () => [...fixtureTopics, badTopic];
    test("indexes every record once and commits only after the write", async () => {
      // Fixture topics are shared by the two stores' runs and by re-runs against one broker:
      // count only what this run produced, by position.
      const mine = sql.join(produced.map((p) => sql`(${p.topic}, ${p.partition}, ${p.offset}::bigint)`), sql`, `);
      await waitFor("all produced records in the index", async () => {
        const [r] = await store.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM events WHERE (topic, partition, "offset") IN (${mine})`);
        return r!.n === produced.length;
      });
      await waitFor("the tap's group to be committed to the end", async () => (await groupLag(group, allTopics())) === 0);
      const [dups] = await store.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM (SELECT 1 FROM events GROUP BY topic, partition, "offset" HAVING count(*) > 1) d`);
      assert.equal(dups!.n, 0);
    });

    test("every fixture's expected fields hold in the API's Event shape", async () => {
      for (const p of produced.filter((x) => x.expect)) {
        const [row] = await store.rows<EventRow>(sql`SELECT ${EVENT_COLUMNS} FROM events WHERE topic = ${p.topic} AND partition = ${p.partition} AND "offset" = ${p.offset}::bigint`);
        assert.ok(row, `${p.name}: indexed`);
        expectHolds(p.name, toEventJson(row), p.expect!);
      }
    });

    test("bad input is stored safely", async () => {
      const get = async (name: string) => {
        const p = produced.find((x) => x.name === name)!;
        const [row] = await store.rows<EventRow>(sql`SELECT ${EVENT_COLUMNS} FROM events WHERE topic = ${p.topic} AND "offset" = ${p.offset}::bigint`);
        return toEventJson(row!);
      };
      const big = await get("2 MB JSON");
      assert.equal(big.correlationId, `big-${run}`);
      assert.equal(big.truncated, true);
      assert.ok(big.size > 2 * 1024 * 1024);
      assert.ok(JSON.stringify(big.value).length < 100_000, "the stored value is capped");
      const deep = await get("100k-deep nesting");
      assert.equal(deep.correlationId, `deep-${run}`);
      assert.notEqual(deep.valueKind, "json");
      const bin = await get("not UTF-8");
      assert.equal(bin.valueKind, "binary");
      assert.deepEqual(bin.value, { base64: Buffer.from([0xff, 0xfe, 0x00, 0xc3, 0x28]).toString("base64") });
      assert.equal((await get("not JSON")).value, "hello, { not json");
      const nul = await get("NUL escapes");
      assert.equal(nul.correlationId, `nul-${run}`);
      assert.ok(!JSON.stringify(nul.value).includes("\\u0000"));
      assert.equal((await get("10k-char correlation id")).correlationId, "c".repeat(512));
      const binHeader = await get("binary header");
      assert.deepEqual(binHeader.headers["x-correlation-id"], { base64: Buffer.from([0xff, 0x00, 0x01]).toString("base64") });
      assert.equal(binHeader.service, `svc-${run}`);
      const tomb = await get("tombstone");
      assert.equal(tomb.tombstone, true);
      assert.equal(tomb.value, null);
    });

    test("search finds flows by correlation, event, trace ID and key; uncorrelated records too", async () => {
      const now = new Date();
      const byCorrelation = await searchIndex(store, "ord-7f3a9c21", now, 300_000);
      const flow = byCorrelation.find((r) => r.matched === "flow" && r.correlationId === "ord-7f3a9c21");
      assert.ok(flow && flow.matched === "flow");
      assert.ok(flow.hasDlq, "the flow touched payments.DLT");
      assert.ok(flow.services.includes("order-service") && flow.services.includes("payment-service"));
      const byEventId = await searchIndex(store, "evt-200", now, 300_000);
      assert.ok(byEventId.some((r) => r.correlationId === "ord-7f3a9c21"));
      const byTrace = await searchIndex(store, "4bf92f3577b34da6a3ce929d0e0e4736", now, 300_000);
      assert.ok(byTrace.some((r) => r.correlationId === "4bf92f3577b34da6a3ce929d0e0e4736"));
      const byKey = await searchIndex(store, `tomb-${run}`, now, 300_000);
      assert.ok(byKey.some((r) => r.matched === "record" && r.record.topic === badTopic));
      const loose = await searchIndex(store, `loose-${run}`, now, 300_000);
      assert.equal(loose.length, 1);
      assert.equal(await searchIndex(store, `nothing-${run}`, now, 300_000).then((r) => r.length), 0);
    });

    test("a flow comes back in time order; recent flows page with a cursor", async () => {
      const flow = await findFlow(store, "ord-7f3a9c21");
      assert.ok(flow);
      const times = flow.events.map((e) => Date.parse(e.timestamp));
      assert.deepEqual(times, [...times].sort((a, b) => a - b));
      assert.ok(flow.events.some((e) => e.dlq?.sourceTopic === "payments"));
      assert.equal(await findFlow(store, `unknown-${run}`), null);
      const first = await listRecentFlows(store, { limit: 2, status: "all", now: new Date(), stuckAfterMs: 300_000 });
      assert.equal(first.flows.length, 2);
      assert.ok(first.nextCursor);
      const second = await listRecentFlows(store, { limit: 2, before: first.nextCursor, status: "all", now: new Date(), stuckAfterMs: 300_000 });
      assert.ok(second.flows.length > 0);
      assert.ok(!second.flows.some((f) => first.flows.some((g) => g.correlationId === f.correlationId)), "pages do not overlap");
      const dlq = await listRecentFlows(store, { limit: 50, status: "dlq", now: new Date(), stuckAfterMs: 300_000 });
      assert.ok(dlq.flows.length > 0 && dlq.flows.every((f) => f.hasDlq));
    });

    test("re-reading from the beginning doubles nothing, not even flow counts", async () => {
      const before = await countEvents(store, allTopics());
      const [flowsBefore] = await store.rows<{ n: number }>(sql`SELECT events AS n FROM flows WHERE correlation_id = 'ord-7f3a9c21'`);
      await tap!.stop();
      // A group without commits starts from the beginning: everything is read again.
      await withAdmin((a) => a.deleteGroups([group]));
      tap = await startTap(config, store, () => {});
      await waitFor("the group to be committed to the end again", async () => (await groupLag(group, allTopics())) === 0);
      assert.equal(await countEvents(store, allTopics()), before);
      const [flowsAfter] = await store.rows<{ n: number }>(sql`SELECT events AS n FROM flows WHERE correlation_id = 'ord-7f3a9c21'`);
      assert.equal(flowsAfter!.n, flowsBefore!.n);
    });

    test("a topic created after start is indexed within 30 s", async () => {
      const topic = `${lateTopic}-${kind}`;
      await createTopics([{ topic }]);
      const started = Date.now();
      await withProducer((p) => p.send({ topic, messages: [{ value: JSON.stringify({ correlationId: `late-${run}-${kind}` }) }] }));
      await waitFor("the late topic's record", async () => (await countEvents(store, [topic])) === 1, { timeoutMs: 30_000 });
      assert.ok(Date.now() - started < 30_000);
    });
  });
}
