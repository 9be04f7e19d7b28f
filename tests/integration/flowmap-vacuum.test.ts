// The flow map's queue is vacuumed like a queue on both stores: on PostgreSQL by autovacuum with
// queue thresholds (migration 0010), on PGlite (no autovacuum) by the passes after every
// VACUUM_EVERY_ROWS deleted rows. Without it a drained PGlite queue keeps every dead row: the table
// only grows, and each count of the queue walks it.
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { sql } from "drizzle-orm";
import { openStore, type Store } from "../../server/db/client";
import type { ExtractedRecord } from "../../server/extract";
import type { FlowmapOptions } from "../../server/flowmap/options";
import { drainFlowmap } from "../../server/flowmap/pass";
import { pendingRows } from "../../server/flowmap/queued";
import { queueVacuum } from "../../server/flowmap/vacuum";
import { writeRecords } from "../../server/tap/write-records";
import { TERMINAL } from "./flowmap-compare";
import { freshDatabase, tempDir } from "./harness";

const T0 = Date.UTC(2026, 3, 25, 10, 0, 0);
function rec(i: number): ExtractedRecord {
  const cid = `vac-${i % 700}`;
  return {
    topic: "vac", partition: 0, offset: String(i), timestamp: new Date(T0 + i * 1000).toISOString(), key: null, keyBinary: false,
    correlationId: cid, correlationFromTrace: false, traceId: null, causationId: null, eventId: `e-${i}`, eventType: i < 700 ? "OrderCreated" : "OrderPaid",
    eventVersion: null, service: "svc", headers: {}, valueKind: "null", valueJson: "null", valueTruncated: false, size: 0, tombstone: false,
    isDlq: false, dlq: null, anomalies: [], encoding: null, decodeError: null,
  } as ExtractedRecord;
}
const FLOWMAP: FlowmapOptions = { enabled: true, flowTypes: [], maxEvents: 1000 };
const queueBytes = async (s: Store) =>
  Number((await s.rows<{ n: string }>(sql`SELECT pg_relation_size('flowmap_pending')::text AS n`))[0]!.n);

for (const kind of ["postgres", "pglite"] as const) {
  describe(`the flow map's queue is vacuumed (${kind})`, () => {
    let store: Store | undefined;
    after(async () => store?.close());

    test("queue thresholds for autovacuum; on PGlite the passes VACUUM it once enough rows are dead", async () => {
      const s = (store = await openStore({ databaseUrl: kind === "postgres" ? await freshDatabase() : null, dataDir: tempDir("fmv-"), maxConnections: 2 }));
      const [opts] = await s.rows<{ o: string[] }>(sql`SELECT reloptions AS o FROM pg_class WHERE relname = 'flowmap_pending'`);
      assert.ok(opts!.o.includes("autovacuum_vacuum_scale_factor=0"), String(opts!.o));
      assert.ok(opts!.o.includes("autovacuum_vacuum_threshold=10000"), String(opts!.o));
      await writeRecords(s, Array.from({ length: 2100 }, (_, i) => rec(i)), TERMINAL, FLOWMAP);
      assert.equal(await pendingRows(s), 2100);
      const flows = await drainFlowmap(s, FLOWMAP, TERMINAL);
      assert.equal(flows, 700);
      assert.equal(await pendingRows(s), 0);
      if (kind === "postgres") return;
      const bloated = await queueBytes(s);
      assert.ok(bloated > 0, "drained, the queue still holds its dead rows");
      const vacuum = queueVacuum(s, 2100);
      await vacuum(2099);
      assert.equal(await queueBytes(s), bloated, "below the threshold: no VACUUM yet");
      await vacuum(1);
      assert.equal(await queueBytes(s), 0, "VACUUM truncated the empty queue");
      await writeRecords(s, Array.from({ length: 10 }, (_, i) => rec(5000 + i)), TERMINAL, FLOWMAP);
      await drainFlowmap(s, FLOWMAP, TERMINAL);
      await vacuum(2099);
      assert.ok((await queueBytes(s)) > 0, "the dead-row count restarted at the VACUUM");
    });
  });
}
