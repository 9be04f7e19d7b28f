// When the store refuses rows for their data, only those rows are set apart: a chunk of 500
// with two rows the store cannot take (values no extractor output has, made by hand here)
// lands 498 rows as read, one reduced (what was left out said in its anomalies) and one in
// quarantine with a reason that carries no statement, parameter or payload. Real PostgreSQL
// and PGlite. An unreachable store is thrown, not quarantined.
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { sql } from "drizzle-orm";
import { openStore, type Store } from "../../server/db/client";
import { storeErrorKind } from "../../server/db/errors";
import { defaultExtractConfig, extractRecord, type ExtractedRecord } from "../../server/extract";
import { writeRecords } from "../../server/tap/write-records";
import { freshDatabase, tempDir, uniqueName } from "./harness";

const SECRET = "card-4111111111111111";

function records(topic: string): ExtractedRecord[] {
  const config = defaultExtractConfig();
  return Array.from({ length: 500 }, (_, i) =>
    extractRecord({ topic, partition: 0, offset: String(i), timestamp: "1777110759000", key: null, headers: {}, value: Buffer.from(JSON.stringify({ correlationId: `${topic}-${i % 7}`, secret: SECRET })) }, config),
  );
}

for (const kind of ["postgres", "pglite"] as const) {
  describe(`rows the store refuses (${kind})`, () => {
    let store: Store | undefined;
    after(async () => store?.close());

    test("are isolated: reduced when that suffices, else quarantined; the rest land as read", { timeout: 120_000 }, async () => {
      store = await openStore({ databaseUrl: kind === "postgres" ? await freshDatabase() : null, dataDir: tempDir("refuse-"), maxConnections: 2 });
      const s = store;
      const topic = uniqueName("refuse-");
      const batch = records(topic);
      // A dead-letter offset past int64 (refused in dlq_source_offset; the reduced form drops it).
      batch[123] = { ...batch[123]!, isDlq: true, dlq: { family: "connect", sourceTopic: "o", sourcePartition: 0, sourceOffset: "99999999999999999999", errorClass: null, errorMessage: null, stacktrace: null, failedGroup: null, attempts: null } };
      // A time PostgreSQL cannot read (refused even reduced, since the time is the record's).
      batch[401] = { ...batch[401]!, timestamp: "+058284-05-25T13:30:00.000Z" };

      const out = await writeRecords(s, batch, /Completed$/);
      assert.deepEqual(out, { inserted: 499, degraded: 1, quarantined: 1 });

      const [n] = await s.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM events WHERE topic = ${topic} AND anomalies IS NULL`);
      assert.equal(n!.n, 498);
      const [reduced] = await s.rows<{ anomalies: string[]; value: unknown; correlation_id: string }>(sql`
        SELECT anomalies, value, correlation_id FROM events WHERE topic = ${topic} AND "offset" = 123`);
      assert.equal(reduced!.correlation_id, `${topic}-${123 % 7}`, "the reduced row keeps the flow");
      assert.equal(reduced!.value, null);
      assert.match(reduced!.anomalies.join(" "), /the store refused the record as read \(SQLSTATE 22003/);
      const [q] = await s.rows<{ offset: string; reason: string }>(sql`SELECT "offset"::text AS "offset", reason FROM tap_quarantine WHERE topic = ${topic}`);
      assert.equal(q!.offset, "401");
      assert.match(q!.reason, /^SQLSTATE 22\w{3}/);
      for (const text of [q!.reason, ...reduced!.anomalies]) {
        assert.ok(!/select|insert|params|058284|4111/i.test(text), `no statement, parameter or payload in: ${text}`);
      }
      const [flow] = await s.rows<{ events: number }>(sql`SELECT sum(events)::int AS events FROM flows WHERE correlation_id LIKE ${`${topic}-%`}`);
      assert.equal(flow!.events, 499, "flows count what was indexed, once");

      // The same batch again (a re-read after a crash) changes nothing.
      assert.deepEqual(await writeRecords(s, batch, /Completed$/), { inserted: 0, degraded: 0, quarantined: 1 });
      const [again] = await s.rows<{ events: number }>(sql`SELECT sum(events)::int AS events FROM flows WHERE correlation_id LIKE ${`${topic}-%`}`);
      assert.equal(again!.events, 499);
    });

    test("a flow counter past int4 (a constant correlation ID collects a whole topic) keeps counting", async () => {
      const s = store!;
      const topic = uniqueName("hot-");
      const cid = `null-${topic}`;
      const one = (offset: number) => extractRecord({ topic, partition: 0, offset: String(offset), timestamp: "1777110759000", key: null, headers: {}, value: Buffer.from(JSON.stringify({ correlationId: cid })) }, defaultExtractConfig());
      await writeRecords(s, [one(0)], /Completed$/);
      await s.rows(sql`UPDATE flows SET events = 2147483647 WHERE correlation_id = ${cid}`);
      assert.deepEqual(await writeRecords(s, [one(1)], /Completed$/), { inserted: 1, degraded: 0, quarantined: 0 });
      const [f] = await s.rows<{ events: string }>(sql`SELECT events::text AS events FROM flows WHERE correlation_id = ${cid}`);
      assert.equal(f!.events, "2147483648");
    });
  });
}

test("an unreachable PostgreSQL is an outage, not bad data", { timeout: 30_000 }, async () => {
  const url = new URL(await freshDatabase());
  url.port = "1"; // nothing listens there
  const err = await openStore({ databaseUrl: url.toString(), dataDir: tempDir("gone-") }).then(() => null, (e: unknown) => e);
  assert.ok(err, "opening must fail");
  assert.equal(storeErrorKind(err), "unavailable");
});
