// The map's settings and the events it was built from: turned off for a while, or given other flow
// types, the map would go on counting from where it stood and leave out or mislabel flows without
// saying so. The tap reconciles at start (server/flowmap/settings.ts): settings changed (or the
// map never built for events already indexed, as after an upgrade) → rebuilt from `events`; turned
// off → its queue dropped and the answer says it is off.
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { sql } from "drizzle-orm";
import { openStore, type Store } from "../../server/db/client";
import type { ExtractedRecord } from "../../server/extract";
import type { FlowmapOptions } from "../../server/flowmap/options";
import { drainFlowmap } from "../../server/flowmap/pass";
import { reconcileFlowmapSettings } from "../../server/flowmap/settings";
import { readFlowMap } from "../../server/flowmap/read-map";
import { flowmapQuery } from "../../server/contract/flowmap";
import { writeRecords } from "../../server/tap/write-records";
import { assertMapEqualsRecomputation, recordMaker, TERMINAL } from "./flowmap-compare";
import { freshDatabase, tempDir } from "./harness";

const NOW = Date.now();
const rec = recordMaker("set");
const flow = (cid: string, at: number) => [rec(cid, "OrderCreated", at), rec(cid, "OrderPaid", at + 1000), rec(cid, "OrderCompleted", at + 2000)];

const ON: FlowmapOptions = { enabled: true, flowTypes: [], maxEvents: 1000 };
const OFF: FlowmapOptions = { ...ON, enabled: false };
const TYPED: FlowmapOptions = { ...ON, flowTypes: [{ name: "orders", eventType: /^Order/ }] };
const config = (o: FlowmapOptions) => ({ flowTypes: o.flowTypes, terminalEvents: TERMINAL, maxEvents: o.maxEvents });

/** A tap's life with these settings: reconcile at start, write, passes drain. */
async function tapRun(s: Store, o: FlowmapOptions, records: ExtractedRecord[]) {
  const r = await reconcileFlowmapSettings(s, o, TERMINAL, () => {});
  if (records.length) await writeRecords(s, records, TERMINAL, o);
  if (o.enabled) await drainFlowmap(s, o, TERMINAL);
  return r;
}

const mapOf = (s: Store) => readFlowMap(s, { query: flowmapQuery.parse({ since: "1h" }), now: new Date(), stuckAfterMs: 300_000 });

for (const kind of ["postgres", "pglite"] as const) {
  describe(`flow map settings (${kind})`, () => {
    let store: Store | undefined;
    after(async () => store?.close());

    test("off for a while, then on: the flows written meanwhile are on the map, as a recomputation has them", async () => {
      const s = (store = await openStore({ databaseUrl: kind === "postgres" ? await freshDatabase() : null, dataDir: tempDir("fmset-") }));
      assert.equal((await tapRun(s, ON, flow("a", NOW - 60_000))).action, "recorded", "a first start on an empty index only records the settings");
      assert.equal((await tapRun(s, ON, flow("b", NOW - 50_000))).action, "unchanged");
      assert.equal((await tapRun(s, OFF, [...flow("c", NOW - 40_000), rec("b", "OrderRefunded", NOW - 30_000)])).action, "off");
      const off = await mapOf(s);
      assert.equal(off.maintained.on, false, "the answer says the map is off");
      assert.ok(off.maintained.since !== null);
      const [q] = await s.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM flowmap_pending`);
      assert.equal(q!.n, 0, "nothing queued while off");

      const back = await tapRun(s, ON, flow("d", NOW - 20_000));
      assert.equal(back.action, "rebuilt");
      assert.equal(back.queued, 10, "every indexed event queued again (a, b with its late event, c)");
      await assertMapEqualsRecomputation(s, config(ON), "after off → on");
      const on = await mapOf(s);
      assert.equal(on.maintained.on, true);
      assert.equal(on.flowTypes.reduce((n, t) => n + t.flows, 0), 4, "a, b, c and d");
    });

    test("other flow types: the map is rebuilt under the new names, once", async () => {
      const s = store!;
      assert.equal((await tapRun(s, TYPED, flow("e", NOW - 10_000))).action, "rebuilt");
      await assertMapEqualsRecomputation(s, config(TYPED), "after the flow types changed");
      assert.deepEqual((await mapOf(s)).flowTypes.map((t) => t.type), ["orders"]);
      assert.equal((await tapRun(s, TYPED, [])).action, "unchanged", "a second start with the same settings rebuilds nothing");
    });

    test("an index built before the map (an upgrade) is folded in at the first start", async () => {
      const s = await openStore({ databaseUrl: kind === "postgres" ? await freshDatabase() : null, dataDir: tempDir("fmset-up-") });
      try {
        // What an install before migration 0009 leaves: events, and no settings row.
        await writeRecords(s, [...flow("u1", NOW - 5_000), ...flow("u2", NOW - 4_000)], TERMINAL, OFF);
        const r = await tapRun(s, ON, []);
        assert.deepEqual([r.action, r.queued], ["rebuilt", 6]);
        await assertMapEqualsRecomputation(s, config(ON), "after the upgrade");
      } finally {
        await s.close();
      }
    });
  });
}
