// Replay from the dead-letter page in real Chromium against a production build and the real
// broker: an operator filters a topic's dead letters by reason, ticks them, replays them, and
// sees the replayed events arrive on the source topic in their flow. A viewer sees the dead
// letters but no replay button, and the API refuses a viewer's replay.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { hashPassword } from "../../server/auth/password";
import { saveUsers } from "../../server/auth/users";
import { brokers, createTopics, produce, tempDir, uniqueName, waitFor } from "../integration/harness";
import { launchBrowser, startApp, type App } from "./app";

const run = uniqueName("");
const prefix = `e2erp-${run}`;
const SRC = `${prefix}.payments`;
const DLT = `${prefix}.payments.DLT`;
const OPERATOR = { name: "olga", password: "operator-pass-1" };
const VIEWER = { name: "victor", password: "viewer-pass-1" };
/** Records 0–3 failed with "Card declined", 4–5 with "Timeout". */
const reasonOf = (i: number) => (i < 4 ? "Card declined" : "Timeout");
const cidOf = (i: number) => `${prefix}-pay-${i}`;
const N = 6;

let app: App;
let browser: Browser;

const int32 = (n: number) => { const b = Buffer.alloc(4); b.writeInt32BE(n); return b; };
const int64 = (n: number) => { const b = Buffer.alloc(8); b.writeBigInt64BE(BigInt(n)); return b; };

async function seed(): Promise<void> {
  await createTopics([{ topic: SRC, numPartitions: 3 }, { topic: DLT }]);
  await produce(DLT, Array.from({ length: N }, (_, i) => ({
    key: `pay-${i}`,
    value: JSON.stringify({ event_type: "PaymentRequested", eventId: `${prefix}-ev-${i}`, amount: 100 + i }),
    headers: {
      "X-Correlation-ID": cidOf(i),
      "x-service": "payment-service",
      "kafka_dlt-original-topic": SRC,
      "kafka_dlt-original-partition": int32(i % 3),
      "kafka_dlt-original-offset": int64(100 + i),
      "kafka_dlt-original-consumer-group": "payment-service",
      "kafka_dlt-exception-fqcn": "org.springframework.kafka.listener.ListenerExecutionFailedException",
      "kafka_dlt-exception-message": reasonOf(i),
    },
  })));
}

before(async () => {
  const dir = tempDir("e2e-replay-");
  const usersFile = join(dir, "users.json");
  saveUsers(usersFile, { users: [
    { name: OPERATOR.name, role: "operator", password: await hashPassword(OPERATOR.password) },
    { name: VIEWER.name, role: "viewer", password: await hashPassword(VIEWER.password) },
  ] });
  await seed();
  app = await startApp({ KAFKA_BROKERS: brokers(), FLOWTAP_TOPICS_INCLUDE: `^${prefix}\\.`, FLOWTAP_USERS_FILE: usersFile });
  const auth = `Basic ${Buffer.from(`${OPERATOR.name}:${OPERATOR.password}`).toString("base64")}`;
  await waitFor("the dead letters indexed", async () => {
    const res = await fetch(`${app.url}/api/dlq/${encodeURIComponent(DLT)}?limit=50`, { headers: { authorization: auth } });
    return res.status === 200 && ((await res.json()) as { messages: unknown[] }).messages.length === N;
  }, { timeoutMs: 60_000 });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await app?.stop();
});

async function signedIn(user: { name: string; password: string }): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`${app.url}/signin`);
  await page.getByTestId("signin-name").fill(user.name);
  await page.getByTestId("signin-password").fill(user.password);
  await page.getByTestId("signin-submit").click();
  await page.waitForURL((u) => u.pathname === "/");
  return { context, page, errors };
}

const rows = (page: Page) => page.getByTestId("dlq-message-row");
const rowKeys = (page: Page) => rows(page).evaluateAll((els) => els.map((el) => el.getAttribute("data-record") ?? ""));

test("an operator replays the dead letters of one reason, and the replayed events join their flows", async () => {
  const { context, page, errors } = await signedIn(OPERATOR);
  try {
    await page.goto(`${app.url}/dlq/${encodeURIComponent(DLT)}`);
    await waitFor("all six dead letters listed", async () => (await rows(page).count()) === N, { timeoutMs: 15_000 });
    // The buttons come with the session: an operator sees them.
    await page.getByTestId("replay-selected").waitFor();
    assert.equal(await page.getByTestId("replay-dry-run").count(), 1);
    assert.equal(await page.getByTestId("replay-all-matching").count(), 1);

    await page.getByTestId("dlq-filter-reason").selectOption("Card declined");
    await page.waitForURL((u) => u.searchParams.get("reason") === "Card declined");
    const declined = Array.from({ length: 4 }, (_, i) => `${DLT}/0/${i}`).sort();
    await waitFor("only the four 'Card declined' rows listed", async () => JSON.stringify((await rowKeys(page)).sort()) === JSON.stringify(declined), { timeoutMs: 15_000 });

    const boxes = page.getByTestId("dlq-select");
    for (let i = 0; i < (await boxes.count()); i++) await boxes.nth(i).check();
    // A dry run first: where they would go, nothing sent.
    await page.getByTestId("replay-dry-run").click();
    const dry = page.getByTestId("replay-summary");
    await dry.waitFor({ timeout: 30_000 });
    const dryText = await dry.innerText();
    for (const line of [`would send 2 records to ${SRC}/0`, `would send 1 record to ${SRC}/1`, `would send 1 record to ${SRC}/2`]) assert.ok(dryText.includes(line), `dry run says "${line}": ${dryText}`);
    await dry.getByRole("button", { name: "Dismiss" }).click();
    await dry.waitFor({ state: "detached" });

    const button = page.getByTestId("replay-selected");
    assert.equal((await button.innerText()).trim(), "Replay 4 selected");
    // Confirmed from a dry run: the target topics with their counts.
    let question = "";
    page.once("dialog", (d) => {
      question = d.message();
      void d.accept();
    });
    await button.click();

    const summary = page.getByTestId("replay-summary");
    await summary.waitFor({ timeout: 30_000 });
    const text = await summary.innerText();
    assert.match(question, /^Replay 4 records \(4 selected\)\? They would go to:/, question);
    assert.ok(question.includes(`\n  ${SRC}: 4 records\n`), question);
    assert.match(text, /\b4 replayed\b/, `the summary says 4 replayed: ${text}`);
    assert.match(text, /\b0 already replayed, 0 failed\b/, text);
    assert.equal(await page.getByTestId("replay-failures").count(), 0, "no failed record listed");

    // The page's queries were refreshed: each row now shows its replay state.
    let states: string[] = [];
    await waitFor("the rows to show they were replayed", async () => {
      // The replay state column: a badge once replayed, "not replayed" in plain text before.
      states = await rows(page).evaluateAll((els) => els.map((el) => el.querySelector(".badge")?.textContent ?? "no badge"));
      return states.length === 4 && states.every((t) => t === "replayed");
    }, { timeoutMs: 15_000 }).catch((err: Error) => assert.fail(`${err.message}: ${JSON.stringify(states)}`));

    // The replayed record is read back by the tap and joins its flow, on the source topic.
    await page.goto(`${app.url}/flows/${encodeURIComponent(cidOf(0))}`);
    const replayed = page.locator(`[data-testid="timeline-event"][data-event-key^="${SRC}/"]`);
    await waitFor("the replayed event on the flow's timeline", async () => {
      if ((await replayed.count()) > 0) return true;
      await page.reload();
      await page.getByTestId("timeline-event").first().waitFor({ timeout: 10_000 });
      return (await replayed.count()) > 0;
    }, { timeoutMs: 60_000, intervalMs: 1000 });
    const keys = await replayed.evaluateAll((els) => els.map((el) => el.getAttribute("data-event-key")));
    assert.equal(keys.length, 1, `one replayed event: ${JSON.stringify(keys)}`);
    assert.match(keys[0]!, new RegExp(`^${SRC.replace(/\./g, "\\.")}/0/\\d+$`), "replayed to its original partition (0)");
    assert.equal(await page.locator(`[data-testid="timeline-event"][data-event-key="${DLT}/0/0"]`).count(), 1, "the dead letter is still there beside it");
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("a viewer sees the dead letters but no replay button, and the API refuses a viewer's replay", async () => {
  const { context, page, errors } = await signedIn(VIEWER);
  try {
    await page.goto(`${app.url}/dlq/${encodeURIComponent(DLT)}`);
    await waitFor("all six dead letters listed", async () => (await rows(page).count()) === N, { timeoutMs: 15_000 });
    // The session has loaded (the menu names the viewer), so the buttons' absence is the decision, not a race.
    await page.getByTestId("user-menu").filter({ hasText: VIEWER.name }).waitFor();
    assert.equal(await page.getByTestId("dlq-actions").count(), 1, "the selection bar is there");
    for (const id of ["replay-selected", "replay-dry-run", "replay-all-matching"]) assert.equal(await page.getByTestId(id).count(), 0, `no ${id} for a viewer`);
    await rows(page).first().locator("button").first().click();
    await page.getByTestId("dlq-detail").waitFor();
    assert.equal(await page.getByTestId("replay-one").count(), 0, "no replay-one for a viewer");

    const body = { records: [{ topic: DLT, partition: 0, offset: "4" }] };
    // With the viewer's session cookie, from Flowtap's own origin: refused for the role.
    const res = await context.request.post(`${app.url}/api/replays`, { data: body, headers: { origin: app.url } });
    assert.equal(res.status(), 403);
    assert.match(((await res.json()) as { error: string }).error, /operator role/);
    // And as a script with HTTP Basic.
    const basic = await fetch(`${app.url}/api/replays`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Basic ${Buffer.from(`${VIEWER.name}:${VIEWER.password}`).toString("base64")}` },
      body: JSON.stringify(body),
    });
    assert.equal(basic.status, 403);
    assert.match(((await basic.json()) as { error: string }).error, /operator role/);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("an operator replays everything a filter matches once confirmed, and forces one record again", async () => {
  const { context, page, errors } = await signedIn(OPERATOR);
  const summary = page.getByTestId("replay-summary");
  const dismiss = async () => {
    await summary.getByRole("button", { name: "Dismiss" }).click();
    await summary.waitFor({ state: "detached" });
  };
  try {
    await page.goto(`${app.url}/dlq/${encodeURIComponent(DLT)}?reason=Timeout`);
    await waitFor("the two 'Timeout' rows listed", async () => (await rows(page).count()) === 2, { timeoutMs: 15_000 });
    await page.getByTestId("replay-all-matching").waitFor();

    // Asked first; saying no sends nothing.
    let question = "";
    page.once("dialog", (d) => {
      question = d.message();
      void d.dismiss();
    });
    await page.getByTestId("replay-all-matching").click();
    await summary.waitFor({ timeout: 30_000 });
    assert.match(question, /^Replay 2 records \(all 2 matching reason "Timeout" in .*payments\.DLT\)\? They would go to:/, question);
    assert.ok(question.includes(`\n  ${SRC}: 2 records\n`), question);
    assert.match(await summary.innerText(), /Not confirmed\. Nothing was replayed\./);
    await dismiss();

    page.once("dialog", (d) => void d.accept());
    await page.getByTestId("replay-all-matching").click();
    await summary.waitFor({ timeout: 30_000 });
    assert.match(await summary.innerText(), /Replay of 2 records done: 2 replayed, 0 already replayed, 0 failed\./);
    await dismiss();

    // Record 0 was replayed by the first test: "Replay this record" skips it, "force" sends it again.
    await page.goto(`${app.url}/dlq/${encodeURIComponent(DLT)}`);
    const row0 = page.locator(`[data-testid="dlq-message-row"][data-record="${DLT}/0/0"]`);
    await row0.waitFor({ timeout: 15_000 });
    await row0.locator("button").first().click();
    await page.getByTestId("dlq-detail").waitFor();
    page.once("dialog", (d) => void d.accept());
    await page.getByTestId("replay-one").click();
    await summary.waitFor({ timeout: 30_000 });
    assert.match(await summary.innerText(), /0 replayed, 1 already replayed, 0 failed/);
    await dismiss();

    page.once("dialog", (d) => {
      question = d.message();
      void d.accept();
    });
    await page.getByTestId("replay-force").click();
    await summary.waitFor({ timeout: 30_000 });
    assert.match(question, new RegExp(`^Record ${DLT.replace(/\./g, "\\.")}/0/0 was already replayed`), question);
    assert.match(await summary.innerText(), /1 replayed, 0 already replayed, 0 failed/);

    // The flow of record 0 now holds two replayed copies on the source topic, and records 4–5 one each.
    const auth = `Basic ${Buffer.from(`${OPERATOR.name}:${OPERATOR.password}`).toString("base64")}`;
    const onSource = async (i: number) => {
      const res = await fetch(`${app.url}/api/flows/${encodeURIComponent(cidOf(i))}`, { headers: { authorization: auth } });
      if (res.status !== 200) return -1;
      return ((await res.json()) as { events: Array<{ topic: string }> }).events.filter((e) => e.topic === SRC).length;
    };
    let counts: number[] = [];
    await waitFor("the replayed records indexed on the source topic", async () => {
      counts = [await onSource(0), await onSource(4), await onSource(5)];
      return JSON.stringify(counts) === "[2,1,1]";
    }, { timeoutMs: 60_000, intervalMs: 1000 }).catch((err: Error) => assert.fail(`${err.message}: ${JSON.stringify(counts)}`));
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
