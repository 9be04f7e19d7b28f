// The flow map the write path queues and the deferred pass folds in equals a full recomputation from
// `events`, on both stores: generated flows of three types delivered shuffled across topics,
// partitions and batches, by concurrent writers with passes running during the writes, with
// partitions rewinding (re-reads after a simulated crash), records of a re-created topic displacing
// the old generation (flows folded already, and flows still queued), and a flow crossing the event cap.
// Every comparison first runs the pass until the queue is empty.
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { sql } from "drizzle-orm";
import { openStore, type Store } from "../../server/db/client";
import { defaultExtractConfig, extractRecord } from "../../server/extract";
import type { FlowmapOptions } from "../../server/flowmap/options";
import { drainFlowmap } from "../../server/flowmap/pass";
import { pendingRows } from "../../server/flowmap/queued";
import { writeRecords } from "../../server/tap/write-records";
import { asRecords, generate } from "./flowmap-gen";
import { assertMapEqualsRecomputation, deliver, TERMINAL } from "./flowmap-compare";
import { freshDatabase, tempDir, uniqueName } from "./harness";

/** Every pass's outcome: nothing may be frozen or refused in these runs. */
const outcome = { flows: 0, frozen: 0, refused: 0 };
const FLOWMAP: FlowmapOptions = {
  enabled: true,
  report: (o) => {
    outcome.flows += o.flows;
    outcome.frozen += o.frozen;
    outcome.refused += o.refused;
  },
  flowTypes: [{ name: "refund", topic: /\.refunds$/ }, { name: "order", eventType: /^Order/ }],
  // Below the big flow's 60 events: it is on the map for a while, then leaves it.
  maxEvents: 40,
};
const CONFIG = { flowTypes: FLOWMAP.flowTypes, terminalEvents: TERMINAL, maxEvents: FLOWMAP.maxEvents };
const START = Date.UTC(2026, 3, 25, 8, 50, 0);

/**
 * The queue has no key (migration 0010): each event must be in it at most once, and only while it
 * is indexed under the same correlation ID, by construction of the writes alone.
 */
async function assertQueueIsASetOfEvents(s: Store, label: string): Promise<void> {
  const twice = await s.rows(sql`
    SELECT topic, partition, "offset"::text AS "offset", count(*)::int AS n FROM flowmap_pending GROUP BY 1, 2, 3 HAVING count(*) > 1 LIMIT 5`);
  assert.deepEqual(twice, [], `${label}: events queued twice`);
  const [orphans] = await s.rows<{ n: number }>(sql`
    SELECT count(*)::int AS n FROM flowmap_pending p
    WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.topic = p.topic AND e.partition = p.partition AND e."offset" = p."offset"
                        AND e.correlation_id = p.correlation_id)`);
  assert.equal(orphans!.n, 0, `${label}: queue rows with no such event`);
}

for (const kind of ["postgres", "pglite"] as const) {
  describe(`flow map = recomputation (${kind})`, () => {
    let store: Store | undefined;
    const delivered: ReturnType<typeof asRecords> = [];
    after(async () => store?.close());
    const open = async () => (store = await openStore({ databaseUrl: kind === "postgres" ? await freshDatabase() : null, dataDir: tempDir("fm-"), maxConnections: 6 }));

    test("generated flows, shuffled, concurrent, with re-reads", { timeout: 600_000 }, async () => {
      const s = await open();
      for (const seed of [1, 2]) {
        const records = asRecords(generate(seed, { flows: 150, bigFlow: 60, start: START }), uniqueName(`fm${seed}`));
        const writes = await deliver(s, records, FLOWMAP, { seed, workers: kind === "postgres" ? 3 : 1, rewind: 0.12 });
        delivered.push(...records);
        assert.ok(writes > 0);
        await assertQueueIsASetOfEvents(s, `seed ${seed}`);
        await drainFlowmap(s, FLOWMAP, TERMINAL);
        assert.equal(await pendingRows(s), 0);
        const [n] = await s.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM events`);
        assert.ok(n!.n > 0);
        const rows = await assertMapEqualsRecomputation(s, CONFIG, `seed ${seed}`);
        assert.ok(rows > 300, `a map of some size (${rows} rows)`);
      }
      assert.deepEqual({ frozen: outcome.frozen, refused: outcome.refused }, { frozen: 0, refused: 0 });
      assert.ok(outcome.flows > 300);
      // The big flow crossed the cap: it is in no table any more.
      const big = await s.rows(sql`SELECT 1 FROM flowmap_members WHERE correlation_id LIKE 'big-%'`);
      assert.equal(big.length, 0);
      const types = await s.rows<{ flow_type: string }>(sql`SELECT DISTINCT flow_type FROM flowmap_flows WHERE grain = 0 AND flows > 0 ORDER BY 1`);
      // The rules name two types; signups keep their first event's type (a tie in time can put
      // another event first: then that is the type, as the recomputation agrees).
      for (const t of ["UserRegistered", "order", "refund"]) assert.ok(types.some((r) => r.flow_type === t), t);
    });

    test("writing everything again changes nothing", { timeout: 600_000 }, async () => {
      const s = store!;
      const before = await s.rows(sql`SELECT * FROM flowmap_steps ORDER BY 1, 2, 3, 4, 5`);
      await deliver(s, delivered, FLOWMAP, { seed: 9, workers: 2, rewind: 0 });
      assert.equal(await pendingRows(s), 0, "a re-read queues nothing");
      await drainFlowmap(s, FLOWMAP, TERMINAL);
      assert.deepEqual(await s.rows(sql`SELECT * FROM flowmap_steps ORDER BY 1, 2, 3, 4, 5`), before);
    });

    for (const folded of [true, false]) {
      test(`a re-created topic's records displace the old generation's, and the map follows (old flows ${folded ? "folded" : "still queued"})`, { timeout: 600_000 }, async () => {
        const s = store!;
        const prefix = uniqueName("fmre");
        const first = asRecords(generate(folded ? 3 : 5, { flows: 40, bigFlow: 0, start: START }), prefix);
        await deliver(s, first, FLOWMAP, { seed: 3, workers: 1, rewind: 0, passes: folded });
        if (folded) await drainFlowmap(s, FLOWMAP, TERMINAL);
        else assert.ok((await pendingRows(s)) > 0, "the old generation is still queued");
        // The topic is deleted and created again: offsets start at 0 with other records (other flows, times).
        const second = asRecords(generate(folded ? 4 : 6, { flows: 25, bigFlow: 0, start: START + 600_000 }), prefix);
        const extract = defaultExtractConfig();
        const out = await writeRecords(s, second.slice(0, 200).map((r) => extractRecord(r, extract)), TERMINAL, FLOWMAP);
        assert.ok(out.inserted > 0);
        await assertQueueIsASetOfEvents(s, "after displacement");
        if (!folded) assert.ok((await pendingRows(s)) > 0);
        await drainFlowmap(s, FLOWMAP, TERMINAL);
        await assertMapEqualsRecomputation(s, CONFIG, "after displacement");
        assert.deepEqual({ frozen: outcome.frozen, refused: outcome.refused }, { frozen: 0, refused: 0 });
      });
    }
  });
}
