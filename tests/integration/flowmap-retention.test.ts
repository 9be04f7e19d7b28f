// Retention and the flow map: minute and hour rows go with the cutoff, all-time rows stay, a
// members row goes with its flows row; a flow that lost events to retention is frozen when more
// arrive (its recorded contribution can no longer be recomputed), and nothing goes negative.
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { sql } from "drizzle-orm";
import { openStore, type Store } from "../../server/db/client";
import type { ExtractedRecord } from "../../server/extract";
import type { FlowmapOptions } from "../../server/flowmap/options";
import { drainFlowmap } from "../../server/flowmap/pass";
import { NO_OUTCOME, addOutcomes, type FlowmapOutcome } from "../../server/flowmap/sync-flows";
import { pruneIndex } from "../../server/retention/prune-index";
import { writeRecords as writeOnly } from "../../server/tap/write-records";
import { recordMaker, TERMINAL } from "./flowmap-compare";
import { freshDatabase, tempDir } from "./harness";

const DAY = 86_400_000;
const NOW = Date.now();
const rec = recordMaker("ret");

/** The write and the pass run to completion, as the tap's passes would shortly after. */
async function writeRecords(s: Store, records: ExtractedRecord[], terminal: RegExp, flowmap: FlowmapOptions): Promise<void> {
  await writeOnly(s, records, terminal, flowmap);
  await drainFlowmap(s, flowmap, terminal);
}

for (const kind of ["postgres", "pglite"] as const) {
  describe(`flow map retention (${kind})`, () => {
    let store: Store | undefined;
    after(async () => store?.close());

    test("prunes minute and hour rows and members with their flows; late events of a pruned flow freeze it", async () => {
      const s = (store = await openStore({ databaseUrl: kind === "postgres" ? await freshDatabase() : null, dataDir: tempDir("fmret-") }));
      let outcome: FlowmapOutcome = NO_OUTCOME;
      const flowmap: FlowmapOptions = { enabled: true, flowTypes: [], maxEvents: 1000, report: (o) => (outcome = addOutcomes(outcome, o)) };
      const old = NOW - 10 * DAY;
      await writeRecords(s, [rec("old", "OrderCreated", old), rec("old", "OrderPaid", old + 1000), rec("straddle", "OrderCreated", old + 2000)], TERMINAL, flowmap);
      await writeRecords(s, [rec("straddle", "OrderPaid", NOW - 1000), rec("new", "OrderCreated", NOW - 500)], TERMINAL, flowmap);
      // What was indexed 10 days ago (retention deletes by indexed_at, flows by last activity).
      await s.rows(sql`UPDATE events SET indexed_at = now() - interval '10 days' WHERE ts < now() - interval '9 days'`);
      await s.rows(sql`UPDATE flows SET updated_at = now() - interval '10 days' WHERE last_seen < now() - interval '9 days'`);
      const allTime = async () => s.rows(sql`SELECT flow_type, flows::int AS flows FROM flowmap_flows WHERE grain = 0 ORDER BY 1`);
      const before = await allTime();

      const r = await pruneIndex(s, new Date(NOW - 7 * DAY));
      assert.equal(r.flowmapMembers, 1);
      assert.ok(r.flowmapRows > 0);
      const [left] = await s.rows<{ n: number }>(sql`
        SELECT count(*)::int AS n FROM flowmap_steps WHERE grain <> 0 AND t < ${new Date(NOW - 7 * DAY).toISOString()}::timestamptz - interval '1 hour'`);
      assert.equal(left!.n, 0, "no minute or hour row wholly before the cutoff");
      assert.deepEqual(await allTime(), before, "all-time rows stay");
      const members = await s.rows<{ correlation_id: string }>(sql`SELECT correlation_id FROM flowmap_members ORDER BY 1`);
      assert.deepEqual(members.map((m) => m.correlation_id), ["new", "straddle"], "a members row goes with its flows row");
      const again = await pruneIndex(s, new Date(NOW - 7 * DAY));
      assert.deepEqual([again.flowmapRows, again.flowmapMembers], [0, 0]);

      // straddle lost its first event to retention: a new one cannot be folded in exactly.
      await writeRecords(s, [rec("straddle", "OrderCompleted", NOW)], TERMINAL, flowmap);
      assert.equal(outcome.frozen, 1);
      // old's flows row is gone too: a late event starts it again, as a new flow.
      await writeRecords(s, [rec("old", "OrderCompleted", NOW)], TERMINAL, flowmap);
      const [neg] = await s.rows<{ n: number }>(sql`
        SELECT (SELECT count(*) FROM flowmap_flows WHERE flows < 0 OR completed < 0 OR dlq < 0)
             + (SELECT count(*) FROM flowmap_steps WHERE flows < 0 OR events < 0)
             + (SELECT count(*) FROM flowmap_stops WHERE flows < 0) + (SELECT count(*) FROM flowmap_variants WHERE flows < 0)
             + (SELECT count(*) FROM flowmap_transitions WHERE flows < 0) AS n`);
      assert.equal(Number(neg!.n), 0, "no count below zero");
      const m = await s.rows<{ correlation_id: string; status: string }>(sql`SELECT correlation_id, status FROM flowmap_members ORDER BY 1`);
      assert.deepEqual(m, [{ correlation_id: "new", status: "open" }, { correlation_id: "old", status: "completed" }, { correlation_id: "straddle", status: "open" }]);
    });
  });
}
