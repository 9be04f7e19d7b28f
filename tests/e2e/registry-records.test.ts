// Schema Registry records in Chromium (issue #11's "Done when"): an order flow whose events were
// written by Apicurio's Java Avro serializer, and a Protobuf record of a file's second message type
// written by its Java Protobuf serializer, both in Confluent wire format, indexed by the tap through
// the test run's real registry. The engineer opens the Avro flow and sees the decoded fields, the
// format and the schema ID, and the raw bytes on demand; then opens the Protobuf record in the
// topic browser and sees it decoded.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import { brokers, createTopics, uniqueName, waitFor } from "../integration/harness";
import { produceAllWithJavaSerde, registryUrl, SAMPLE_PROTO, SAMPLE_PROTO_VALUE } from "../integration/registry-lib";
import { launchBrowser, pageWithErrors, startApp, type App } from "./app";

const run = uniqueName("");
const prefix = `e2ereg-${run}`;
const AVRO_TOPIC = `${prefix}.payments`;
const PROTO_TOPIC = `${prefix}.refunds`;
const CID = `${prefix}-order-1`;

const ORDER_SCHEMA = JSON.stringify({
  type: "record",
  name: "OrderEvent",
  namespace: "dev.flowtap.e2e",
  fields: [
    { name: "eventId", type: { type: "string", logicalType: "uuid" } },
    { name: "eventType", type: "string" },
    { name: "correlationId", type: "string" },
    { name: "amount", type: { type: "bytes", logicalType: "decimal", precision: 12, scale: 2 } },
    { name: "at", type: { type: "long", logicalType: "timestamp-millis" } },
  ],
});

const t0 = Date.now() - 60_000;
const avroEvent = (i: number, eventType: string) => ({
  value: {
    eventId: `0b7c3c52-6f5e-4a53-9a55-3f1f0c9e2a1${i}`,
    eventType,
    correlationId: CID,
    amount: `${120 + i}.90`,
    at: new Date(t0 + i * 1000).toISOString(),
  },
  headers: { "x-service": "payment-service" },
  timestamp: t0 + i * 1000,
});

let app: App;
let browser: Browser;
let protoOffset = "";

before(async () => {
  await createTopics([{ topic: AVRO_TOPIC }, { topic: PROTO_TOPIC }]);
  const [, proto] = await produceAllWithJavaSerde([
    { topic: AVRO_TOPIC, value: { format: "avro", schema: ORDER_SCHEMA }, records: [avroEvent(0, "PaymentAuthorized"), avroEvent(1, "PaymentCaptured"), avroEvent(2, "PaymentSettled")] },
    {
      topic: PROTO_TOPIC,
      value: { format: "protobuf", schema: SAMPLE_PROTO, messageType: "PaymentCompleted" },
      records: [{ value: { ...SAMPLE_PROTO_VALUE, correlationId: CID }, headers: { "x-service": "refund-service" } }],
    },
  ]);
  protoOffset = proto![0]!.offset!;
  app = await startApp({ KAFKA_BROKERS: brokers(), SCHEMA_REGISTRY_URL: registryUrl(), FLOWTAP_TOPICS_INCLUDE: `^${prefix}\\.` });
  await waitFor("the Avro flow and the Protobuf record indexed", async () => {
    const res = await fetch(`${app.url}/api/flows/${encodeURIComponent(CID)}`);
    if (res.status !== 200) return false;
    const { events } = (await res.json()) as { events: unknown[] };
    return events.length === 4;
  }, { timeoutMs: 90_000 });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await app?.stop();
});

const newPage = () => pageWithErrors(browser, { consoleErrors: false });

test("an Avro flow opens with its events decoded: fields, format, schema ID, and the raw bytes on demand", async () => {
  const { page, errors } = await newPage();
  await page.goto(`${app.url}/flows/${encodeURIComponent(CID)}`);
  const events = page.getByTestId("timeline-event");
  await events.first().waitFor();
  assert.equal(await events.count(), 4);
  // The tap found the correlation ID and the event type inside the Avro payload: the lanes and labels say so.
  const timeline = await page.getByTestId("timeline-event").allInnerTexts();
  assert.ok(timeline.some((t) => t.includes("PaymentCaptured")), timeline.join(" | "));
  await page.locator(`[data-testid="timeline-event"][data-event-key="${AVRO_TOPIC}/0/1"]`).click();
  const payload = page.getByTestId("event-payload");
  await payload.waitFor();
  assert.match(await page.getByTestId("encoding-line").innerText(), /^Avro · schema \d+/);
  const text = await payload.innerText();
  assert.match(text, /PaymentCaptured/);
  assert.match(text, /121\.90/, "the decimal logical type decoded to its exact text");
  assert.equal(await page.getByTestId("decode-error").count(), 0);
  await page.getByTestId("raw-view").locator("summary").click();
  const hex = page.getByTestId("raw-hex");
  await hex.waitFor();
  assert.match(await hex.innerText(), /^0000\S*\s+00 00 00 00/m, "the raw view starts with the magic byte and the schema ID");
  assert.deepEqual(errors, []);
});

test("a Protobuf record of the file's second message type opens decoded in the topic browser", async () => {
  const { page, errors } = await newPage();
  await page.goto(`${app.url}/topics/${encodeURIComponent(PROTO_TOPIC)}`);
  const row = page.locator(`[data-testid="topic-record-row"][data-record="${PROTO_TOPIC}/0/${protoOffset}"]`);
  await row.waitFor();
  await row.locator("button").first().click();
  const detail = page.getByTestId("topic-record-detail");
  await detail.waitFor();
  assert.match(await detail.getByTestId("encoding-line").innerText(), /^Protobuf · schema \d+/);
  const text = await detail.getByTestId("event-payload").innerText();
  for (const field of ["pay-1", "STATUS_OK", "12990", "EUR"]) assert.ok(text.includes(field), `${field} in ${text}`);
  assert.match(await detail.getByTestId("record-flow").innerText(), new RegExp(CID));
  assert.deepEqual(errors, []);
});
