// When the store refuses the flow map's own rows for data reasons, the events are still indexed
// as they are (never reduced, never quarantined, the partition moves on): the pass takes the flows
// at fault off the map, deletes their queue rows (so it is not wedged on them) and every other flow
// stays exact. The refusal is staged with a trigger that
// raises a data exception (SQLSTATE 22023) for one event type.
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { sql } from "drizzle-orm";
import { openStore, type Store } from "../../server/db/client";
import type { ExtractedRecord } from "../../server/extract";
import { contribution, grainRows, type FlowEvent } from "../../server/analysis/flow-contribution";
import { addAll } from "../../server/analysis/flowmap-rows";
import type { FlowmapOptions } from "../../server/flowmap/options";
import { readFlowmapTables, recomputeFlowmap } from "../../server/flowmap/recompute";
import { drainFlowmap } from "../../server/flowmap/pass";
import { NO_OUTCOME, addOutcomes, type FlowmapOutcome } from "../../server/flowmap/sync-flows";
import { writeRecords } from "../../server/tap/write-records";
import { assertSameMap, TERMINAL } from "./flowmap-compare";
import { freshDatabase, tempDir } from "./harness";

const T0 = Date.UTC(2026, 3, 25, 10, 0, 0);
let offset = 0;
function rec(cid: string, eventType: string, s: number): ExtractedRecord {
  return {
    topic: "refusal", partition: 0, offset: String(offset++), timestamp: new Date(T0 + s * 1000).toISOString(), key: null, keyBinary: false,
    correlationId: cid, correlationFromTrace: false, traceId: null, causationId: null, eventId: `${cid}-${s}`, eventType, eventVersion: null,
    service: "svc", headers: {}, valueKind: "null", valueJson: "null", valueTruncated: false, size: 0, tombstone: false, isDlq: false, dlq: null,
    anomalies: [], encoding: null, decodeError: null,
  } as ExtractedRecord;
}
const asEvent = (r: ExtractedRecord): FlowEvent => ({
  topic: r.topic, partition: r.partition, offset: r.offset, ts: Date.parse(r.timestamp), eventId: r.eventId, eventType: r.eventType,
  eventVersion: r.eventVersion, service: r.service, causationId: r.causationId, isDlq: r.isDlq,
});

for (const kind of ["postgres", "pglite"] as const) {
  describe(`the flow map refused for data reasons (${kind})`, () => {
    let store: Store | undefined;
    after(async () => store?.close());

    test("events indexed as they are, flows at fault off the map, the rest exact", async () => {
      const s = (store = await openStore({ databaseUrl: kind === "postgres" ? await freshDatabase() : null, dataDir: tempDir("fmr-") }));
      await s.rows(sql.raw(`
        CREATE FUNCTION flowmap_poison() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN IF NEW.event_type = 'Poison' THEN RAISE EXCEPTION 'poisoned' USING ERRCODE = '22023'; END IF; RETURN NEW; END $$`));
      await s.rows(sql.raw(`CREATE TRIGGER poison BEFORE INSERT OR UPDATE ON flowmap_steps FOR EACH ROW EXECUTE FUNCTION flowmap_poison()`));
      let outcome: FlowmapOutcome = NO_OUTCOME;
      const flowmap: FlowmapOptions = { enabled: true, flowTypes: [], maxEvents: 1000, report: (o) => (outcome = addOutcomes(outcome, o)) };
      const written: ExtractedRecord[] = [];
      const write = async (records: ExtractedRecord[]) => {
        written.push(...records);
        const out = await writeRecords(s, records, TERMINAL, flowmap);
        await drainFlowmap(s, flowmap, TERMINAL);
        return out;
      };

      // P is poisoned from its first chunk; Q is fine at first, and poisoned later.
      const first = await write([rec("A", "OrderCreated", 0), rec("P", "OrderCreated", 0), rec("P", "Poison", 1), rec("Q", "OrderCreated", 2), rec("A", "OrderPaid", 3)]);
      assert.deepEqual(first, { inserted: 5, degraded: 0, quarantined: 0 }, "every event indexed as it is");
      assert.equal(outcome.refused, 1);
      const second = await write([rec("Q", "Poison", 4), rec("A", "OrderCompleted", 5), rec("P", "OrderCompleted", 6)]);
      assert.deepEqual(second, { inserted: 3, degraded: 0, quarantined: 0 });
      assert.equal(outcome.refused, 3, "P again, and Q");
      assert.equal(outcome.frozen, 0);

      const [q] = await s.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM tap_quarantine`);
      assert.equal(q!.n, 0);
      const [p] = await s.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM flowmap_pending`);
      assert.equal(p!.n, 0, "refused flows leave the queue: the pass is not wedged on them");
      const members = await s.rows<{ correlation_id: string }>(sql`SELECT correlation_id FROM flowmap_members ORDER BY 1`);
      assert.deepEqual(members.map((m) => m.correlation_id), ["A"], "Q left the map with what it had added");

      // Expected: the recomputation without P and Q.
      const config = { flowTypes: [], terminalEvents: TERMINAL, maxEvents: 1000 };
      const expected = await recomputeFlowmap(s, config);
      for (const cid of ["P", "Q"]) {
        addAll(expected.rows, grainRows(contribution(written.filter((r) => r.correlationId === cid).map(asEvent), config)!), -1);
        expected.members.delete(cid);
      }
      assertSameMap(await readFlowmapTables(s), expected, "without the refused flows");
    });
  });
}
