// The flow map's read side over PostgreSQL and PGlite: aggregate rows of a simulated incident are
// written straight into the tables (flowmap-api-seed.ts), then the map, its changes, the flow lists
// and a flow against its type are read through the server functions and compared with a brute-force
// count over the same flows (flowmap-api-brute.ts).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { sql } from "drizzle-orm";
import { openStore, type Store } from "../../server/db/client";
import { flowmapFlowsQuery, flowmapQuery, type FlowTypeMap, type MapFlowItem } from "../../server/contract/flowmap";
import { stepKey } from "../../server/analysis/steps";
import { readFlowMap } from "../../server/flowmap/read-map";
import { readMapFlows } from "../../server/flowmap/read-flows";
import { readAgainstType } from "../../server/flowmap/read-against-type";
import { expected } from "./flowmap-api-brute";
import { pathOf, seed, variantOf, type SimFlow } from "./flowmap-api-seed";
import { NOW, S, scenario, STUCK_AFTER_MS } from "./flowmap-api-scenario";
import { freshDatabase, tempDir } from "./harness";

const flows = scenario();
const now = new Date(NOW);
const K = { created: stepKey(S.created), paid: stepKey(S.paid), reserved: stepKey(S.reserved), completed: stepKey(S.completed) };
const stuckBefore = NOW - STUCK_AFTER_MS;
const HOUR = 3_600_000;

function assertMatches(t: FlowTypeMap, since: number, until: number): void {
  const e = expected(flows, t.type, since, until, stuckBefore);
  assert.deepEqual({ flows: t.flows, completed: t.completed, dlq: t.dlq, stuck: t.stuck }, { flows: e.flows, completed: e.completed, dlq: e.dlq, stuck: e.stuck }, t.type);
  assert.deepEqual(new Map(t.steps.map((s) => [s.id, s.flows])), e.steps);
  assert.deepEqual(new Map(t.transitions.map((x) => [`${x.from}\u001e${x.to}`, { flows: x.flows, p50Ms: x.p50Ms, p95Ms: x.p95Ms }])), e.transitions);
  assert.deepEqual(new Map(t.stops.filter((s) => s.flows > 0).map((s) => [s.after, { stuck: s.stuck, dlq: s.dlq, share: s.share }])), e.stops);
  assert.deepEqual(new Map(t.variants.map((v) => [v.id, v.flows])), e.variants);
}

for (const kind of ["postgres", "pglite"] as const) {
  describe(`flow map reads over ${kind}`, () => {
    let store: Store;
    const map = (q: Record<string, string>) => readFlowMap(store, { query: flowmapQuery.parse(q), now, stuckAfterMs: STUCK_AFTER_MS });
    const list = (q: Record<string, string>, scanBudget?: number) =>
      readMapFlows(store, { query: flowmapFlowsQuery.parse(q), now, stuckAfterMs: STUCK_AFTER_MS, scanBudget });
    async function all(q: Record<string, string>, scanBudget?: number): Promise<MapFlowItem[]> {
      const out: MapFlowItem[] = [];
      let cursor: string | null = null;
      for (let pages = 0; pages < 1000; pages++) {
        const page = await list(cursor ? { ...q, cursor } : q, scanBudget);
        out.push(...page.flows);
        if (!(cursor = page.nextCursor)) return out;
      }
      throw new Error("paging did not end");
    }

    before(async () => {
      store = await openStore({ databaseUrl: kind === "postgres" ? await freshDatabase() : null, dataDir: tempDir("flowmap-") });
      await seed(store, flows);
    });
    after(async () => store?.close());

    test("the last hour equals the brute-force count, type by type, and names what changed since 14:02", async () => {
      const m = await map({});
      assert.deepEqual(m.window, { since: new Date(NOW - HOUR).toISOString(), until: now.toISOString() });
      assert.deepEqual(m.baseline, { since: new Date(NOW - 2 * HOUR).toISOString(), until: new Date(NOW - HOUR).toISOString(), compare: "previous" });
      assert.deepEqual(m.flowTypes.map((t) => t.type), ["OrderCreated", "RefundRequested"]);
      for (const t of m.flowTypes) assertMatches(t, NOW - HOUR, NOW);
      const [orders, refunds] = m.flowTypes as [FlowTypeMap, FlowTypeMap];
      assert.deepEqual(refunds.changes, [], "nothing changed for refunds");
      const stop = orders.changes.find((c) => c.kind === "stop-share");
      assert.ok(stop && stop.kind === "stop-share", JSON.stringify(orders.changes));
      assert.equal(stop.after, K.paid);
      assert.equal(stop.since, "2026-04-25T14:02:00.000Z");
      assert.match(stop.text, /^since 14:02 UTC, \d+ % of OrderCreated flows stop after PaymentProcessed, \d+ % in the hour before$/);
      const slow = orders.changes.find((c) => c.kind === "latency");
      assert.ok(slow && slow.kind === "latency");
      assert.deepEqual([slow.from, slow.to, slow.since], [K.paid, K.reserved, "2026-04-25T14:02:00.000Z"]);
      assert.ok(slow.p95Ms > 3000 && slow.baselineP95Ms < 800, slow.text);
      assert.equal(orders.changes.length, 2, JSON.stringify(orders.changes.map((c) => c.text)));
      const before = orders.stops.find((s) => s.after === K.paid)!.baseline!;
      assert.deepEqual(before, { ...expected(flows, "OrderCreated", NOW - 2 * HOUR, NOW - HOUR, stuckBefore).stops.get(K.paid)!, flows: before.stuck + before.dlq });
    });

    test("windows across hour rows and the stuck cutoff equal the brute-force count", async () => {
      for (const [since, until] of [[NOW - 6 * HOUR - 17_000, NOW], [NOW - 7 * HOUR, NOW - 2 * HOUR + 1], [NOW - 30 * 60_000, NOW], [NOW - 3.5 * HOUR, NOW + 40 * 60_000]]) {
        const m = await map({ since: new Date(since!).toISOString(), until: new Date(until!).toISOString(), compare: "none" });
        assert.equal(m.baseline, null);
        assert.ok(m.flowTypes.length > 0);
        for (const t of m.flowTypes) {
          assertMatches(t, since!, until!);
          assert.deepEqual(t.changes, []);
          assert.equal(t.baseline, undefined);
        }
      }
    });

    test("a day earlier holds no flows: a baseline of zeros, no changes; a type filter keeps one type", async () => {
      const m = await map({ compare: "day", type: "OrderCreated" });
      assert.deepEqual(m.flowTypes.map((t) => [t.type, t.baseline, t.changes.length]), [["OrderCreated", { flows: 0, completed: 0, stuck: 0, dlq: 0 }, 0]]);
      assert.deepEqual((await map({ type: "NoSuchType" })).flowTypes, []);
    });

    test("the flows behind a stop, a transition, a step and a variant, newest first, through every page", async () => {
      const inHour = (f: SimFlow) => f.type === "OrderCreated" && f.events.at(-1)!.ts >= NOW - HOUR;
      const ids = (list: SimFlow[]) => list.sort((a, b) => b.events.at(-1)!.ts - a.events.at(-1)!.ts || (a.id < b.id ? 1 : -1)).map((f) => f.id);
      const stopped = flows.filter((f) => inHour(f) && pathOf(f).at(-1) === K.paid && (f.status === "dlq" || (f.status === "open" && f.events.at(-1)!.ts < stuckBefore)));
      for (const budget of [undefined, 13]) {
        const got = await all({ type: "OrderCreated", stop: K.paid, limit: "7" }, budget);
        assert.deepEqual(got.map((f) => f.correlationId), ids(stopped), `scan budget ${budget}`);
      }
      const slowPair = flows.filter((f) => inHour(f) && pathOf(f).join(">").includes(`${K.paid}>${K.reserved}`));
      assert.deepEqual((await all({ type: "OrderCreated", from: K.paid, to: K.reserved, limit: "50" })).map((f) => f.correlationId), ids(slowPair));
      const reached = flows.filter((f) => inHour(f) && pathOf(f).includes(K.reserved));
      assert.deepEqual((await all({ type: "OrderCreated", step: K.reserved, limit: "200" })).map((f) => f.correlationId), ids(reached));
      const v = variantOf([K.created, K.paid]);
      const dlq = flows.filter((f) => inHour(f) && variantOf(pathOf(f)) === v && f.status === "dlq");
      assert.deepEqual((await all({ type: "OrderCreated", variant: v, status: "dlq" })).map((f) => f.correlationId), ids(dlq));
      const first = (await list({ type: "OrderCreated", stop: K.paid, status: "stuck", limit: "1" })).flows[0]!;
      assert.deepEqual([first.stuck, first.status, first.lastStep], [true, "open", K.paid]);
    });

    test("a bad cursor is refused", async () => {
      await assert.rejects(list({ type: "OrderCreated", cursor: "bm90IGEgY3Vyc29y" }), /cursor/);
    });

    test("a flow against its type: stuck, repeated, out of order, skipped, slower, unknown", async () => {
      const stuck = flows.find((f) => f.status === "open" && f.events[0]!.ts > NOW - 20 * 60_000 && f.events[0]!.ts < stuckBefore - 60_000)!;
      const a = await readAgainstType(store, { correlationId: stuck.id, now, stuckAfterMs: STUCK_AFTER_MS });
      assert.deepEqual([a.flowType, a.status, a.stuck, a.commonPath?.steps], ["OrderCreated", "open", true, [K.created, K.paid, K.reserved, K.completed]]);
      assert.deepEqual(a.findings.map((f) => f.kind), ["stuck", "not-reached"]);
      assert.equal(a.findings[1]!.text, "Never reached InventoryReserved, OrderCompleted: the common path goes on to them");
      const kinds = async (id: string) => (await readAgainstType(store, { correlationId: id, now, stuckAfterMs: STUCK_AFTER_MS })).findings.map((f) => f.kind);
      assert.deepEqual(await kinds("special-repeat"), ["repeated"]);
      assert.deepEqual(await kinds("special-order"), ["out-of-order"]);
      assert.deepEqual(await kinds("special-skip"), ["missing"]);
      const slow = flows.find((f) => f.status === "completed" && f.events[0]!.ts > NOW - 10 * 60_000)!;
      await store.rows(sql`INSERT INTO events (topic, partition, "offset", ts, correlation_id, event_type, service, headers, value_kind, size)
        SELECT 'orders', 0, n, (${JSON.stringify(slow.events.map((e) => new Date(e.ts).toISOString()))}::json ->> (n - 1))::timestamptz, ${slow.id},
               (${JSON.stringify(slow.events.map((e) => e.step.eventType))}::json ->> (n - 1)), (${JSON.stringify(slow.events.map((e) => e.step.service))}::json ->> (n - 1)), '{}', 'json', 2
        FROM generate_series(1, ${slow.events.length}) AS n`);
      const s = await readAgainstType(store, { correlationId: slow.id, now, stuckAfterMs: STUCK_AFTER_MS });
      assert.deepEqual(s.findings.map((f) => f.kind), ["slower"], s.summary);
      assert.match(s.findings[0]!.text, /^PaymentProcessed → InventoryReserved took \d\.\d s; the type's p95 is \d+ ms$/);
      const none = await readAgainstType(store, { correlationId: "no-such-flow", now, stuckAfterMs: STUCK_AFTER_MS });
      assert.deepEqual([none.flowType, none.findings], [null, []]);
    });
  });
}
