// The topic browser in real Chromium against a production build and the real broker: from
// /topics the engineer opens a topic, sees its records of the last 15 minutes newest first,
// filters them by event type and by text in the value, opens a record (its decoded value, its
// flow), and sees a record produced meanwhile arrive on top through the live tail.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import { brokers, createTopics, produce, uniqueName, waitFor } from "../integration/harness";
import { launchBrowser, pageWithErrors, startApp, type App } from "./app";

const run = uniqueName("");
const prefix = `e2etp-${run}`;
const TOPIC = `${prefix}.payments`;
const N = 8;
const t0 = Date.now() - 4 * 60_000;
const cidOf = (i: number) => `${prefix}-pay-${i}`;
const typeOf = (i: number) => (i % 3 === 0 ? "PaymentFailed" : "PaymentCompleted");

let app: App;
let browser: Browser;

const message = (i: number) => ({
  partition: i % 2,
  key: `order-${i}`,
  timestamp: String(i < N ? t0 + i * 10_000 : Date.now()),
  headers: { "X-Correlation-ID": cidOf(i), "x-service": "payment-service" },
  value: JSON.stringify({ event_type: typeOf(i), eventId: `${prefix}-ev-${i}`, amount: 100 + i, card: i === 4 ? "declined-visa-4242" : "ok" }),
});

before(async () => {
  await createTopics([{ topic: TOPIC, numPartitions: 2 }]);
  await produce(TOPIC, Array.from({ length: N }, (_, i) => message(i)));
  app = await startApp({ KAFKA_BROKERS: brokers(), FLOWTAP_TOPICS_INCLUDE: `^${prefix}\\.` });
  await waitFor("the records indexed", async () => {
    const res = await fetch(`${app.url}/api/topics`);
    const body = (await res.json()) as { topics: Array<{ topic: string; records: number }> };
    return body.topics.find((t) => t.topic === TOPIC)?.records === N;
  }, { timeoutMs: 60_000 });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await app?.stop();
});

const newPage = () => pageWithErrors(browser);

const rowKeys = (page: Page) => page.getByTestId("topic-record-row").evaluateAll((els) => els.map((el) => el.getAttribute("data-record")));
const keyOf = (i: number) => `${TOPIC}/${i % 2}/${Math.floor(i / 2)}`;

test("list topics, open one, filter, open a record and its flow link, see a new record arrive live", async () => {
  const { page, errors } = await newPage();
  await page.goto(`${app.url}/topics`);
  const row = page.locator(`[data-testid="topic-row"][data-topic="${TOPIC}"]`);
  await row.waitFor();
  assert.match(await row.innerText(), new RegExp(`${TOPIC.replace(/\./g, "\\.")}\\s+${N}\\s+2`), "name, records, partitions");
  await row.getByRole("link", { name: TOPIC }).click();
  await page.waitForURL((u) => decodeURIComponent(u.pathname) === `/topics/${TOPIC}`);

  // The last 15 minutes, newest first.
  await waitFor("every record listed", async () => (await rowKeys(page)).length === N, { timeoutMs: 15_000 });
  assert.deepEqual(await rowKeys(page), Array.from({ length: N }, (_, i) => keyOf(N - 1 - i)));

  // Filter by event type (Enter commits it to the URL and the request).
  await page.getByTestId("filter-eventType").fill("PaymentFailed");
  await page.getByTestId("filter-eventType").press("Enter");
  await page.waitForURL((u) => u.searchParams.get("eventType") === "PaymentFailed");
  const failed = [6, 3, 0].map(keyOf);
  await waitFor("only the failed payments", async () => JSON.stringify(await rowKeys(page)) === JSON.stringify(failed), { timeoutMs: 15_000 });

  // Text in the value, instead.
  await page.getByRole("button", { name: "Clear filters" }).click();
  await page.getByTestId("filter-contains").fill("declined-visa");
  await page.getByTestId("filter-contains").press("Enter");
  await waitFor("the one record whose value holds the text", async () => JSON.stringify(await rowKeys(page)) === JSON.stringify([keyOf(4)]), { timeoutMs: 15_000 });

  // Open it: the decoded value, and a link to its flow.
  await page.locator(`[data-testid="topic-record-row"][data-record="${keyOf(4)}"] button`).click();
  const detail = page.getByTestId("topic-record-detail");
  await detail.waitFor();
  assert.match(await page.getByTestId("event-payload").innerText(), /declined-visa-4242/);
  assert.equal(await detail.getByTestId("record-flow").getByRole("link").getAttribute("href"), `/flows/${encodeURIComponent(cidOf(4))}`);
  assert.equal(new URL(page.url()).searchParams.get("record"), keyOf(4));

  // Back to everything: a record produced now arrives on top without a reload.
  await page.getByRole("button", { name: "Clear filters" }).click();
  await waitFor("every record listed again", async () => (await rowKeys(page)).length === N, { timeoutMs: 15_000 });
  assert.equal(await page.getByTestId("live-toggle").getAttribute("aria-pressed"), "true");
  await produce(TOPIC, [message(N)]);
  await waitFor("the new record on top", async () => (await rowKeys(page))[0] === keyOf(N), { timeoutMs: 30_000 });
  assert.equal((await rowKeys(page)).length, N + 1);
  assert.deepEqual(errors, []);
});

test("a link with bad parameters says so; an unknown topic says it is not indexed", async () => {
  const { page, errors } = await newPage();
  await page.goto(`${app.url}/topics/${TOPIC}?from=yesterday`);
  await page.getByText("This link's parameters are not valid").waitFor();
  assert.match(await page.locator("main").innerText(), /from: must be an ISO 8601 date-time/);
  await page.getByRole("button", { name: "Show the last 15 minutes" }).click();
  await waitFor("the records after the reset", async () => (await rowKeys(page)).length >= N, { timeoutMs: 15_000 });
  await page.goto(`${app.url}/topics/${prefix}.never`);
  await page.getByText("This topic is not in the index").waitFor();
  // The 400 and 404 answers are logged by the browser as failed requests: nothing else.
  assert.deepEqual(errors.filter((e) => !/status of 40[04]/.test(e)), []);
});
