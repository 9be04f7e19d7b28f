// Decode on read against the real registry (Apicurio, the run's SCHEMA_REGISTRY_URL) and broker:
// the tap indexes Avro records while ITS registry URL does not answer (a closed port), so they are
// stored as binary with the reason; the API's own decoder points at the live registry and the
// route handlers answer them decoded. A schema registered only after its record was indexed
// (Apicurio hands out content IDs in sequence: register one to learn the next, produce with it,
// register the real one afterwards) is decoded on read once it exists. A value past the display
// cap is decoded from its original in Kafka. Nothing is written back; replay sends the original
// wire-format bytes.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { freePort } from "../../scripts/lib/kafka-broker";
import { openStore, type Store } from "../../server/db/client";
import type { Config } from "../../server/config";
import type { EventJson } from "../../server/flows/event-json";
import { readOffsets } from "../../server/kafka/read-records";
import { replayRecords } from "../../server/replay/replay-records";
import { replayTargets } from "../../server/replay/targets";
import { startTap } from "../../server/tap/tap";
import { avroEncoder, wire } from "../unit/decode-helpers";
import { brokers, createTopics, freshDatabase, produce, tempDir, testConfig, uniqueName, waitFor } from "./harness";
import { registerSchema } from "./registry-lib";

const run = uniqueName("");
const TOPIC = `dr-${run}.orders`;
const DLT = `dr-${run}.orders.DLT`;
const cid = `dr-flow-${run}`;
const ORDER = { type: "record", name: "OrderPlaced", namespace: "dr", fields: [{ name: "correlationId", type: "string" }, { name: "note", type: "string" }] };
const LATER = { type: "record", name: "OrderLater", namespace: "dr", fields: [{ name: "late", type: "string" }, { name: "n", type: "int" }] };
const PROBE = { type: "record", name: `Probe${run}`, namespace: "dr", fields: [{ name: "p", type: "string" }] };

type Routes = {
  flow: typeof import("../../app/api/flows/[correlationId]/route");
  dlq: typeof import("../../app/api/dlq/[topic]/route");
  dlqRecord: typeof import("../../app/api/dlq/[topic]/[partition]/[offset]/route");
  topicRecords: typeof import("../../app/api/topics/[topic]/records/route");
  runtime: typeof import("../../server/runtime");
};
let r: Routes;
let store: Store;
let config: Config;
let schemaId = 0;
let laterId = 0;
let wholeBytes: Buffer;

const get = (url: string) => new Request(`http://127.0.0.1${url}`);
async function flowEvents(): Promise<EventJson[]> {
  const res = await r.flow.GET(get("/api/flows/x"), { params: Promise.resolve({ correlationId: cid }) });
  assert.equal(res.status, 200);
  return ((await res.json()) as { events: EventJson[] }).events;
}
const byKey = (events: EventJson[], key: string) => events.find((e) => e.key === key)!;

before(async () => {
  await createTopics([{ topic: TOPIC }, { topic: DLT }]);
  schemaId = await registerSchema(`${TOPIC}-value`, JSON.stringify(ORDER));
  laterId = (await registerSchema(`${TOPIC}-probe`, JSON.stringify(PROBE))) + 1;
  const order = avroEncoder(ORDER);
  wholeBytes = wire(schemaId, order.toBuffer({ correlationId: cid, note: "small" }));
  const headers = { "x-correlation-id": cid };
  await produce(TOPIC, [
    { key: "whole", value: wholeBytes, headers },
    { key: "big", value: wire(schemaId, order.toBuffer({ correlationId: cid, note: "x".repeat(3000) })), headers },
    { key: "later", value: wire(laterId, avroEncoder(LATER).toBuffer({ late: "yes", n: 7 })), headers },
  ]);
  await produce(DLT, [{ key: "dead", value: wholeBytes, headers: { ...headers, "kafka_dlt-original-topic": TOPIC, "kafka_dlt-exception-message": "boom" } }]);

  const dir = tempDir("decode-read-");
  const env = {
    KAFKA_BROKERS: brokers(),
    DATABASE_URL: await freshDatabase(),
    FLOWTAP_DATA_DIR: join(dir, "data"),
    FLOWTAP_TOPICS_INCLUDE: `^dr-${run}\\.`,
    FLOWTAP_VALUE_CAP_BYTES: "1024",
  };
  // The tap's registry: a port nothing listens on.
  const dead = `http://127.0.0.1:${await freePort()}/apis/ccompat/v7`;
  config = testConfig({ ...env, FLOWTAP_TAP_GROUP: uniqueName("ft-dr-"), SCHEMA_REGISTRY_URL: dead, FLOWTAP_DECODE_WAIT_MS: "500", SCHEMA_REGISTRY_TIMEOUT_MS: "500" });
  store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const tap = await startTap(config, store, () => {});
  try {
    await waitFor("four records indexed as binary", async () => {
      const rows = await store.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM events WHERE topic IN (${TOPIC}, ${DLT}) AND value_kind = 'binary' AND decode_error IS NOT NULL`);
      return rows[0]!.n === 4;
    });
  } finally {
    await tap.stop();
  }
  // The web process: the run's live registry (SCHEMA_REGISTRY_URL from `npm test`), no tap of its own.
  Object.assign(process.env, env, { FLOWTAP_AUTH: "off", FLOWTAP_TAP: "off" });
  r = {
    flow: await import("../../app/api/flows/[correlationId]/route"),
    dlq: await import("../../app/api/dlq/[topic]/route"),
    dlqRecord: await import("../../app/api/dlq/[topic]/[partition]/[offset]/route"),
    topicRecords: await import("../../app/api/topics/[topic]/records/route"),
    runtime: await import("../../server/runtime"),
  };
});

after(async () => {
  await (await r?.runtime.getRuntime().store)?.close();
  await store?.close();
});

describe("decode on read", () => {
  test("records the tap could not decode are answered decoded, with their encoding; the index keeps them as stored", async () => {
    const events = await flowEvents();
    const whole = byKey(events, "whole");
    assert.equal(whole.valueKind, "json");
    assert.deepEqual(whole.value, { correlationId: cid, note: "small" });
    assert.deepEqual(whole.encoding, { format: "avro", schemaId, subject: `${TOPIC}-value`, version: 1 });
    assert.equal(whole.decodeError, null);
    assert.equal(whole.decodedOnRead, true);
    const dead = byKey(events, "dead");
    assert.deepEqual(dead.value, { correlationId: cid, note: "small" });

    const later = byKey(events, "later");
    assert.equal(later.valueKind, "binary", "its schema is not registered yet");
    assert.match(later.decodeError ?? "", new RegExp(`schema ID ${laterId}: .*(ECONNREFUSED|unavailable|did not answer)`));

    const rows = await store.rows<{ value_kind: string; decode_error: string | null }>(sql`SELECT value_kind, decode_error FROM events WHERE topic = ${TOPIC}`);
    assert.ok(rows.every((x) => x.value_kind === "binary" && x.decode_error !== null), "nothing written back");
  });

  test("a value past the display cap is decoded from its original in Kafka (shown cut, as the index would)", async () => {
    const big = await waitFor("the cut value decoded", async () => {
      const e = byKey(await flowEvents(), "big");
      return e.decodedOnRead ? e : null;
    }, { timeoutMs: 90_000, intervalMs: 1_000 });
    assert.equal(big.truncated, true);
    assert.equal(typeof big.value, "string");
    assert.ok((big.value as string).startsWith(`{"correlationId":"${cid}","note":"xxxx`));
    assert.equal(big.encoding?.schemaId, schemaId);
  });

  test("a schema registered after its record was indexed: decoded on read once it exists", async () => {
    const id = await registerSchema(`${TOPIC}-later`, JSON.stringify(LATER));
    assert.equal(id, laterId, "Apicurio gave another content ID than the next one: something else registered meanwhile");
    const later = await waitFor("the later record decoded", async () => {
      const e = byKey(await flowEvents(), "later");
      return e.decodedOnRead ? e : null;
    }, { timeoutMs: 30_000, intervalMs: 500 });
    assert.deepEqual(later.value, { late: "yes", n: 7 });
    assert.deepEqual(later.encoding, { format: "avro", schemaId: laterId, subject: `${TOPIC}-later`, version: 1 });
  });

  test("the dead-letter list, a dead letter and the topic browser answer decoded too", async () => {
    const list = (await (await r.dlq.GET(get(`/api/dlq/${DLT}`), { params: Promise.resolve({ topic: DLT }) })).json()) as { messages: EventJson[] };
    assert.deepEqual(list.messages[0]!.value, { correlationId: cid, note: "small" });
    assert.equal(list.messages[0]!.encoding?.schemaId, schemaId);
    const one = (await (await r.dlqRecord.GET(get(`/api/dlq/${DLT}/0/0`), { params: Promise.resolve({ topic: DLT, partition: "0", offset: "0" }) })).json()) as { message: EventJson };
    assert.equal(one.message.decodedOnRead, true);
    assert.equal(one.message.dlq?.errorMessage, "boom");
    const page = (await (await r.topicRecords.GET(get(`/api/topics/${TOPIC}/records?from=1h`), { params: Promise.resolve({ topic: TOPIC }) })).json()) as { records: EventJson[] };
    assert.deepEqual(byKey(page.records, "whole").value, { correlationId: cid, note: "small" });
  });

  test("replay sends the original wire-format bytes, never re-encoded", async () => {
    const [res] = await replayRecords(store, config.kafka, [{ topic: DLT, partition: 0, offset: "0" }], {
      actor: "test", force: false, dryRun: false, maxCycles: 3, targets: replayTargets(config),
    });
    assert.equal(res!.status, "replayed", res!.error ?? "");
    assert.equal(res!.targetTopic, TOPIC);
    const copy = await readOffsets(config.kafka, [{ topic: TOPIC, partition: res!.targetPartition!, offset: res!.targetOffset! }]);
    const bytes = [...copy.values()][0]!.value!;
    assert.deepEqual(Buffer.from(bytes), wholeBytes);
  });
});
