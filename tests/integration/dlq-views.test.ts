// The dead-letter views against the real broker, into PostgreSQL and PGlite: dead letters in
// three conventions (Spring DLT binary headers, Kafka Connect string headers, laravel-kafka
// with no origin on a *-dlq topic) are indexed by the tap, then listed, paged and filtered
// through the server functions, with replay states from ledger rows written here.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { IHeaders, Message } from "kafkajs";
import { sql } from "drizzle-orm";
import { openStore, type Store } from "../../server/db/client";
import { startTap, type Tap } from "../../server/tap/tap";
import { BadCursorError } from "../../server/flows/list-recent-flows";
import { listDeadLetterTopics } from "../../server/dlq/list-dead-letter-topics";
import { listDeadLetterMessages, type ListDeadLettersInput } from "../../server/dlq/list-dead-letter-messages";
import { findDeadLetterMessage } from "../../server/dlq/find-dead-letter-message";
import { createTopics, freshDatabase, tempDir, testConfig, uniqueName, waitFor, withProducer } from "./harness";

const run = uniqueName("");
const prefix = `ft-dlq-${run}`;
const T = {
  orders: `${prefix}.orders`,
  customers: `${prefix}.customers`,
  spring: `${prefix}.payments.DLT`,
  // Named like no dead-letter topic: only its Connect headers make it one.
  connect: `${prefix}.sink-errors`,
  laravel: `${prefix}.invoices-dlq`,
};
const T0 = Date.now() - 3_600_000;
const iso = (dt: number) => new Date(T0 + dt).toISOString();

const int32 = (n: number) => { const b = Buffer.alloc(4); b.writeInt32BE(n); return b; };
const int64 = (n: number) => { const b = Buffer.alloc(8); b.writeBigInt64BE(BigInt(n)); return b; };

const STOCK = { cls: "com.shop.InsufficientStockException", msg: "Insufficient stock for SKU A-1" };
// Hostile, and ending in spaces: matched exactly, never trimmed.
const AMOUNT = { cls: "java.lang.NumberFormatException", msg: "Amount '1.234,50' is not a number <script>alert(1)</script>  " };
const TIMEOUT = { cls: "java.util.concurrent.TimeoutException", msg: "Timed out after 30000 ms" };
const CONVERT = "Converting byte[] to Kafka Connect data failed due to serialization error";
const DEADLOCK = "SQLSTATE[40001]: Serialization failure: 1213 Deadlock found";

function spring(partition: number, dt: number, err: { cls: string; msg: string }, sourceOffset: number): Message {
  return {
    partition,
    key: `order-${sourceOffset}`,
    timestamp: String(T0 + dt),
    value: JSON.stringify({ type: "PaymentProcessed", correlationId: `ord-${run}-${sourceOffset}` }),
    headers: {
      "kafka_dlt-original-topic": T.orders,
      "kafka_dlt-original-partition": int32(0),
      "kafka_dlt-original-offset": int64(sourceOffset),
      "kafka_dlt-original-consumer-group": "inventory-service",
      "kafka_dlt-exception-fqcn": "org.springframework.kafka.listener.ListenerExecutionFailedException",
      "kafka_dlt-exception-cause-fqcn": err.cls,
      "kafka_dlt-exception-message": err.msg,
      "kafka_dlt-exception-stacktrace": `${err.cls}: ${err.msg}\n\tat com.shop.Inventory.reserve(Inventory.java:42)`,
    },
  };
}

function connect(dt: number, source: string, msg: string): Message {
  const headers: IHeaders = {
    "__connect.errors.topic": source,
    "__connect.errors.partition": "0",
    "__connect.errors.offset": String(dt),
    "__connect.errors.connector.name": "jdbc-sink",
    "__connect.errors.exception.class.name": "org.apache.kafka.connect.errors.DataException",
    "__connect.errors.exception.message": msg,
  };
  return { timestamp: String(T0 + dt), value: "not json", headers };
}

function laravel(dt: number): Message {
  return {
    timestamp: String(T0 + dt),
    value: JSON.stringify({ invoice: dt, correlationId: `inv-${run}` }),
    headers: { kafka_throwable_message: DEADLOCK, kafka_throwable_class_name: "Illuminate\\Database\\QueryException", kafka_throwable_code: "40001" },
  };
}

/** Where each record landed, by a name the tests use. */
const at = new Map<string, { topic: string; partition: number; offset: string }>();
let producedCount = 0;

before(async () => {
  await createTopics([{ topic: T.orders }, { topic: T.spring, numPartitions: 2 }, { topic: T.connect }, { topic: T.laravel }]);
  const send = async (name: string, topic: string, message: Message) => {
    await withProducer(async (p) => {
      const [meta] = await p.send({ topic, messages: [message] });
      at.set(name, { topic, partition: meta!.partition, offset: meta!.baseOffset! });
    });
    producedCount++;
  };
  // Ties on the timestamp across partitions: the cursor must break them by partition and offset.
  await send("s0a", T.spring, spring(0, 1000, STOCK, 1));
  await send("s0b", T.spring, spring(0, 2000, STOCK, 2));
  await send("s0c", T.spring, spring(0, 3000, AMOUNT, 3));
  await send("s1a", T.spring, spring(1, 2000, STOCK, 4));
  await send("s1b", T.spring, spring(1, 3000, AMOUNT, 5));
  await send("s1c", T.spring, spring(1, 4000, TIMEOUT, 6));
  await send("c1", T.connect, connect(5000, T.orders, CONVERT));
  await send("c2", T.connect, connect(6000, T.orders, CONVERT));
  await send("c3", T.connect, connect(7000, T.customers, "Unknown magic byte!"));
  await send("l1", T.laravel, laravel(8000));
  await send("l2", T.laravel, laravel(9000));
  await send("plain", T.orders, { value: JSON.stringify({ type: "OrderCreated" }), timestamp: String(T0) });
});

/** Ledger rows as the replay service writes them: attempt numbers per record, latest last. */
async function writeLedger(store: Store): Promise<void> {
  const rows: Array<[string, number, string]> = [
    ["s0a", 1, "replayed"], ["s0a", 2, "replayed"], // forced a second time
    ["s1a", 1, "replayed"], ["s1a", 2, "failed"],
    ["s0c", 1, "failed"],
    ["s1b", 1, "pending"],
  ];
  for (const [name, attempt, status] of rows) {
    const r = at.get(name)!;
    await store.rows(sql`INSERT INTO replays (replay_id, dlq_topic, dlq_partition, dlq_offset, attempt, status, target_topic, target_partition, target_offset, requested_by, settled_at, error)
      VALUES (${`${run}-${name}-${attempt}`}, ${r.topic}, ${r.partition}, ${r.offset}::bigint, ${attempt}, ${status},
              ${status === "replayed" ? T.orders : null}, ${status === "replayed" ? 0 : null}, ${status === "replayed" ? `${100 + attempt}` : null}::bigint,
              'test', ${status === "pending" ? null : iso(10_000 + attempt)}::timestamptz, ${status === "failed" ? "broker said no" : null})`);
  }
  // A replay of a record no longer in the index (retention took it) is not counted.
  await store.rows(sql`INSERT INTO replays (replay_id, dlq_topic, dlq_partition, dlq_offset, attempt, status, requested_by)
    VALUES (${`${run}-ghost`}, ${T.spring}, 0, 999, 1, 'replayed', 'test')`);
}

const key = (name: string) => { const r = at.get(name)!; return `${r.topic}/${r.partition}/${r.offset}`; };
const keys = (page: { messages: Array<{ topic: string; partition: number; offset: string }> } | null) =>
  (page?.messages ?? []).map((m) => `${m.topic}/${m.partition}/${m.offset}`);

for (const kind of ["postgres", "pglite"] as const) {
  describe(`dead-letter views over ${kind}`, () => {
    let store: Store;
    let tap: Tap | null = null;
    const list = (input: Partial<ListDeadLettersInput> & { topic: string }) => listDeadLetterMessages(store, { limit: 50, replay: "all", ...input });

    before(async () => {
      const config = testConfig({
        DATABASE_URL: kind === "postgres" ? await freshDatabase() : undefined,
        FLOWTAP_DATA_DIR: tempDir(),
        FLOWTAP_TOPICS_INCLUDE: `^${prefix.replace(/[.-]/g, "\\$&")}\\.`,
        FLOWTAP_TAP_GROUP: uniqueName(`ft-dlq-${kind}-`),
      });
      store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
      tap = await startTap(config, store, () => {});
      await waitFor("every produced record indexed", async () => {
        const [r] = await store.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM events WHERE topic LIKE ${`${prefix}.%`}`);
        return r!.n === producedCount;
      });
      await writeLedger(store);
    });

    after(async () => {
      await tap?.stop();
      await store?.close();
    });

    test("the overview lists each dead-letter topic with its source, counts, times, top reasons and replays", async () => {
      const topics = await listDeadLetterTopics(store);
      assert.deepEqual(topics.map((t) => t.topic), [T.laravel, T.connect, T.spring], "newest failure first; the plain topic is not listed");
      const [lar, con, spr] = topics;
      assert.deepEqual(
        { source: spr!.sourceTopic, messages: spr!.messages, oldest: spr!.oldest, newest: spr!.newest, replayed: spr!.replayed },
        { source: T.orders, messages: 6, oldest: iso(1000), newest: iso(4000), replayed: 2 },
      );
      assert.deepEqual(spr!.reasons, [
        { errorClass: STOCK.cls, errorMessage: STOCK.msg, count: 3 },
        { errorClass: AMOUNT.cls, errorMessage: AMOUNT.msg, count: 2 },
        { errorClass: TIMEOUT.cls, errorMessage: TIMEOUT.msg, count: 1 },
      ]);
      assert.equal(con!.sourceTopic, T.orders, "the most common source wins over the other one");
      assert.deepEqual(con!.reasons.map((r) => r.count), [2, 1]);
      assert.equal(lar!.sourceTopic, `${prefix}.invoices`, "inferred from the *-dlq name");
      assert.deepEqual(lar!.reasons, [{ errorClass: "Illuminate\\Database\\QueryException", errorMessage: DEADLOCK, count: 2 }]);
      assert.ok(Date.parse(lar!.lastIndexedAt) > T0 + 9000, "indexed after it was produced");
      const one = await listDeadLetterTopics(store, { topic: T.spring, reasons: 1 });
      assert.deepEqual(one.map((t) => [t.topic, t.reasons.length, t.messages]), [[T.spring, 1, 6]]);
      assert.deepEqual(await listDeadLetterTopics(store, { topic: T.orders }), []);
    });

    test("the list pages newest first through timestamp ties, without overlap or gaps", async () => {
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await list({ topic: T.spring, limit: 2, cursor });
        assert.ok(page);
        seen.push(...keys(page));
        cursor = page.nextCursor ?? undefined;
        pages++;
      } while (cursor && pages < 10);
      assert.equal(pages, 3);
      assert.deepEqual(seen, ["s1c", "s1b", "s0c", "s1a", "s0b", "s0a"].map(key));
    });

    test("each filter narrows the list", async () => {
      const cases: Array<[string, Partial<ListDeadLettersInput> & { topic: string }, string[]]> = [
        ["reason, exact", { topic: T.spring, reason: STOCK.msg }, ["s1a", "s0b", "s0a"]],
        ["reason with its trailing spaces", { topic: T.spring, reason: AMOUNT.msg }, ["s1b", "s0c"]],
        ["reason without them matches nothing", { topic: T.spring, reason: AMOUNT.msg.trimEnd() }, []],
        ["error class", { topic: T.spring, errorClass: TIMEOUT.cls }, ["s1c"]],
        ["time range, both ends inclusive", { topic: T.spring, from: iso(2000), to: iso(3000) }, ["s1b", "s0c", "s1a", "s0b"]],
        ["source topic", { topic: T.connect, sourceTopic: T.customers }, ["c3"]],
        ["replayed", { topic: T.spring, replay: "replayed" }, ["s1a", "s0a"]],
        ["not replayed (a failed or pending attempt is not a replay)", { topic: T.spring, replay: "not-replayed" }, ["s1c", "s1b", "s0c", "s0b"]],
        ["latest attempt failed", { topic: T.spring, replay: "failed" }, ["s0c", "s1a"]],
        ["filters combine", { topic: T.spring, reason: STOCK.msg, replay: "replayed", from: iso(1500) }, ["s1a"]],
      ];
      for (const [name, input, expected] of cases) {
        const page = await list(input);
        assert.ok(page, `${name}: the topic is known`);
        assert.deepEqual(keys(page), expected.map(key), name);
      }
    });

    test("each message carries its dead-letter origin and latest replay; the stack trace comes on demand", async () => {
      const page = await list({ topic: T.spring });
      const byKey = new Map(page!.messages.map((m) => [`${m.topic}/${m.partition}/${m.offset}`, m]));
      const s0a = byKey.get(key("s0a"))!;
      assert.deepEqual(
        [s0a.dlq?.sourceTopic, s0a.dlq?.sourceOffset, s0a.dlq?.failedGroup, s0a.dlq?.errorClass, s0a.dlq?.hasStacktrace],
        [T.orders, "1", "inventory-service", STOCK.cls, true],
      );
      assert.equal(s0a.correlationId, `ord-${run}-1`);
      assert.equal(s0a.headers["kafka_dlt-exception-stacktrace"], undefined, "the list leaves the stack trace out");
      assert.equal(s0a.headers["kafka_dlt-exception-message"], STOCK.msg);
      assert.deepEqual(s0a.replay && { ...s0a.replay, replayId: s0a.replay.replayId.endsWith("-2") }, {
        status: "replayed", replayId: true, replayedAt: iso(10_002), targetTopic: T.orders, targetPartition: 0, targetOffset: "102", error: null, count: 2,
      });
      assert.deepEqual([byKey.get(key("s1a"))!.replay?.status, byKey.get(key("s1a"))!.replay?.count, byKey.get(key("s1a"))!.replay?.error], ["failed", 1, "broker said no"]);
      assert.equal(byKey.get(key("s1b"))!.replay?.status, "pending");
      assert.equal(byKey.get(key("s1c"))!.replay, null);

      const r = at.get("s0a")!;
      const one = await findDeadLetterMessage(store, r);
      assert.match(one?.stacktrace ?? "", /^com\.shop\.InsufficientStockException: .*\n\tat com\.shop\.Inventory/);
      assert.equal(one?.message.replay?.count, 2);
      const laravelOne = await findDeadLetterMessage(store, at.get("l1")!);
      assert.equal(laravelOne?.stacktrace, null);
      assert.equal(await findDeadLetterMessage(store, at.get("plain")!), null, "not a dead letter");
      assert.equal(await findDeadLetterMessage(store, { ...r, offset: "999" }), null);
    });

    test("a topic without dead letters is null (a 404); filters that match nothing are an empty page", async () => {
      assert.equal(await list({ topic: T.orders }), null);
      assert.equal(await list({ topic: `${prefix}.nope` }), null);
      assert.deepEqual(await list({ topic: T.laravel, errorClass: "nope" }), { messages: [], nextCursor: null });
      await assert.rejects(list({ topic: T.spring, cursor: "bm90LWEtY3Vyc29y" }), BadCursorError);
    });
  });
}
