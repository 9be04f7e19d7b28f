// The lag pages in Chromium against a production build: a slow consumer group (one record a
// second while five a second arrive, as in the demo) is on top of the list, and its page
// draws the lag chart.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import type { Browser as PwBrowser } from "playwright-core";
import { brokers, createTopics, kafka, uniqueName, waitFor } from "../integration/harness";
import { launchBrowser, startApp, type App } from "./app";

const run = uniqueName("");
const topic = `e2elag-${run}.orders`;
const SLOW = `e2elag-${run}-notification-service`;
const FAST = `e2elag-${run}-payment-service`;
let app: App;
let browser: PwBrowser;
const clients: Array<{ disconnect(): Promise<void> }> = [];
let producing: NodeJS.Timeout | undefined;

before(async () => {
  await createTopics([{ topic, numPartitions: 2 }]);
  const producer = kafka().producer();
  await producer.connect();
  clients.push(producer);
  let n = 0;
  producing = setInterval(() => {
    void producer.send({ topic, messages: Array.from({ length: 5 }, () => ({ key: `k${n++}`, value: "{}" })) }).catch(() => {});
  }, 1000);
  const fast = kafka().consumer({ groupId: FAST, maxWaitTimeInMs: 200 });
  await fast.connect();
  await fast.subscribe({ topics: [topic], fromBeginning: true });
  await fast.run({ eachMessage: async () => {} });
  clients.push(fast);
  const slow = kafka().consumer({ groupId: SLOW, maxWaitTimeInMs: 200, maxBytes: 2048 });
  await slow.connect();
  await slow.subscribe({ topics: [topic], fromBeginning: true });
  await slow.run({ autoCommitThreshold: 1, eachMessage: () => new Promise((r) => setTimeout(r, 1000)) });
  clients.push(slow);
  app = await startApp({
    KAFKA_BROKERS: brokers(),
    FLOWTAP_TOPICS_INCLUDE: `^e2elag-${run}\\.`,
    FLOWTAP_LAG_INTERVAL_S: "1",
    FLOWTAP_LAG_GROUPS_INCLUDE: `^e2elag-${run}-`,
  });
  browser = await launchBrowser();
});

after(async () => {
  clearInterval(producing);
  await browser?.close();
  await app?.stop();
  for (const c of clients) await c.disconnect().catch(() => {});
});

test("the slow group is on top of /lag, and its page charts its lag", async () => {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await waitFor("both groups sampled, the slow one behind", async () => {
    const res = await fetch(`${app.url}/api/lag`);
    const body = (await res.json()) as { groups: Array<{ group: string; lag: number | null }> };
    return body.groups.length === 2 && (body.groups.find((g) => g.group === SLOW)?.lag ?? 0) > 5;
  }, { timeoutMs: 60_000 });
  await page.goto(`${app.url}/lag`);
  const rows = page.getByTestId("lag-group-row");
  await waitFor("the list to show both groups", async () => (await rows.count()) === 2, { timeoutMs: 20_000 });
  assert.equal(await rows.first().getAttribute("data-group"), SLOW, "the slow group is on top");
  assert.notEqual(await rows.first().getAttribute("data-status"), "ERR");
  await rows.first().getByRole("link").first().click();
  await page.waitForURL((u) => decodeURIComponent(u.pathname) === `/lag/${SLOW}`);
  // The shortest range has the finest buckets: a line needs two of them.
  await page.goto(`${page.url().split("?")[0]}?range=15m`);
  const chart = page.getByTestId("lag-chart-offset");
  await chart.waitFor();
  await waitFor("a line drawn in the offset-lag chart", async () => (await chart.locator("path.recharts-line-curve").count()) > 0, { timeoutMs: 45_000 });
  assert.ok((await page.getByTestId("lag-chart-time").count()) === 1, "and the seconds-behind chart");
  assert.ok((await page.getByTestId("lag-partition-row").count()) === 2, "one row per partition");
  assert.deepEqual(errors, []);
});
