// The deferred pass's one snapshot, staged deterministically: a chunk adding an event to a flow the
// pass is folding commits between the pass's fold and its queue delete. Under READ COMMITTED the
// delete sees the new queue row and removes it although its event was never folded in: the map
// misses the event for good. At REPEATABLE READ (what the pass uses) the delete sees only its
// snapshot's rows, the new one stays queued, and the next pass folds it: map = recomputation.
// Also: a second pass while one holds the lock skips its round. PostgreSQL only: the staged chunk
// needs a second connection (PGlite has one, held by the pass's transaction).
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { sql } from "drizzle-orm";
import { openStore, type Store } from "../../server/db/client";
import type { ExtractedRecord } from "../../server/extract";
import type { FlowmapOptions } from "../../server/flowmap/options";
import { drainFlowmap, runFlowmapPass } from "../../server/flowmap/pass";
import { pendingRows } from "../../server/flowmap/queued";
import { writeRecords } from "../../server/tap/write-records";
import { assertMapEqualsRecomputation, TERMINAL } from "./flowmap-compare";
import { freshDatabase, tempDir } from "./harness";

const T0 = Date.UTC(2026, 3, 25, 10, 0, 0);
let offset = 0;
function rec(cid: string, eventType: string, s: number): ExtractedRecord {
  return {
    topic: "pass", partition: 0, offset: String(offset++), timestamp: new Date(T0 + s * 1000).toISOString(), key: null, keyBinary: false,
    correlationId: cid, correlationFromTrace: false, traceId: null, causationId: null, eventId: `${cid}-${s}`, eventType, eventVersion: null,
    service: "svc", headers: {}, valueKind: "null", valueJson: "null", valueTruncated: false, size: 0, tombstone: false, isDlq: false, dlq: null,
    anomalies: [], encoding: null, decodeError: null,
  } as ExtractedRecord;
}

const FLOWMAP: FlowmapOptions = { enabled: true, flowTypes: [], maxEvents: 1000 };
const CONFIG = { flowTypes: [], terminalEvents: TERMINAL, maxEvents: 1000 };

describe("the flow-map pass's snapshot (postgres)", () => {
  let store: Store | undefined;
  after(async () => store?.close());

  const staged = async (s: Store, isolation: "read committed" | "repeatable read", cid: string) => {
    await writeRecords(s, [rec(cid, "OrderCreated", 0), rec(cid, "OrderPaid", 1)], TERMINAL, FLOWMAP);
    const r = await runFlowmapPass(s, FLOWMAP, TERMINAL, {
      isolation,
      // Another connection: this chunk commits while the pass's transaction is open.
      beforeDelete: async () => void (await writeRecords(s, [rec(cid, "OrderCompleted", 2)], TERMINAL, FLOWMAP)),
    });
    assert.equal(r.flows, 1);
    await drainFlowmap(s, FLOWMAP, TERMINAL);
    assert.equal(await pendingRows(s), 0);
  };

  test("READ COMMITTED would lose an event committed mid-pass; REPEATABLE READ keeps it queued", async () => {
    const s = (store = await openStore({ databaseUrl: await freshDatabase(), dataDir: tempDir("fmp-"), maxConnections: 4 }));
    await staged(s, "read committed", "rc");
    await assert.rejects(assertMapEqualsRecomputation(s, CONFIG, "read committed"), /differ/, "the staged interleaving breaks READ COMMITTED");
    const [m] = await s.rows<{ status: string }>(sql`SELECT status FROM flowmap_members WHERE correlation_id = 'rc'`);
    assert.equal(m?.status, "open", "OrderCompleted never reached the map");

    // Start over on the same store: take rc off the map (its rows as recorded), then the real thing.
    await s.rows(sql`TRUNCATE flowmap_flows, flowmap_steps, flowmap_transitions, flowmap_stops, flowmap_variants, flowmap_members, flowmap_pending, events, flows`);
    await staged(s, "repeatable read", "rr");
    await assertMapEqualsRecomputation(s, CONFIG, "repeatable read");
    const [r] = await s.rows<{ status: string }>(sql`SELECT status FROM flowmap_members WHERE correlation_id = 'rr'`);
    assert.equal(r?.status, "completed");
  });

  test("one pass at a time: a second pass while one runs skips its round", async () => {
    const s = store!;
    await writeRecords(s, [rec("lock", "OrderCreated", 0)], TERMINAL, FLOWMAP);
    let inner: Awaited<ReturnType<typeof runFlowmapPass>> | null = null;
    const outer = await runFlowmapPass(s, FLOWMAP, TERMINAL, { beforeDelete: async () => void (inner = await runFlowmapPass(s, FLOWMAP, TERMINAL)) });
    assert.equal(outer.ran, true);
    assert.equal(inner!.ran, false);
    assert.equal(await pendingRows(s), 0);
  });
});
