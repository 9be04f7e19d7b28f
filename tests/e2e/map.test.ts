// The flow map in Chromium against a production build over PostgreSQL. The aggregates of an
// incident are written straight into the map's tables (the tap's writer is tested on its own):
// OrderCreated flows start stopping after PaymentProcessed 28 minutes ago, beside three steady
// types of 12 steps (the timing case) and a small one. The recently stuck flows have their
// events produced through Kafka, so the timeline the engineer lands on is real. The engineer sees
// the stop marked as changed, clicks it, opens the newest stuck flow and reads how it differs from
// the common path.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import type { Browser } from "playwright-core";
import { sql } from "drizzle-orm";
import { openStore } from "../../server/db/client";
import { stepKey } from "../../server/analysis/steps";
import { brokers, createTopics, freshDatabase, produce, uniqueName, waitFor } from "../integration/harness";
import { pathOf, seed, type SimFlow } from "../integration/flowmap-api-seed";
import { longSagas, S, scenario, STUCK_AFTER_MS } from "../integration/flowmap-api-scenario";
import { launchBrowser, startApp, type App } from "./app";

const run = uniqueName("");
const topic = `e2emap-${run}.orders`;
let app: App;
let browser: Browser;
let candidates: SimFlow[];
let databaseUrl: string;

before(async () => {
  databaseUrl = await freshDatabase();
  await createTopics([{ topic }]);
  app = await startApp({ KAFKA_BROKERS: brokers(), DATABASE_URL: databaseUrl, FLOWTAP_TOPICS_INCLUDE: `^e2emap-${run}\\.` });
  // Relative to now, after the build: the fault began 28 min ago, stuck means 5 min without an event.
  const now = Date.now();
  const flows = [
    ...scenario(now, `${run}-`),
    ...["Shipment", "Invoice", "Return"].flatMap((type, i) => longSagas(now, type, 20_000 + 10_000 * i, `${run}-`)),
  ];
  // Stuck after PaymentProcessed in the last 20 minutes: whichever is newest when the test clicks,
  // its events are in Kafka, so the page it lands on shows a real timeline.
  candidates = flows.filter((f) => f.status === "open" && f.type === "OrderCreated" && pathOf(f).at(-1) === stepKey(S.paid) && f.events.at(-1)!.ts > now - 20 * 60_000);
  const store = await openStore({ databaseUrl, dataDir: "" });
  await seed(store, flows);
  await store.close();
  await produce(topic, candidates.flatMap((f) => f.events.map((e, i) => ({
    key: f.id,
    timestamp: String(e.ts),
    headers: { "x-correlation-id": f.id, "x-service": e.step.service },
    value: JSON.stringify({ event_type: e.step.eventType, eventId: `${f.id}-${i}` }),
  }))));
  for (const f of candidates) await waitFor(`${f.id} indexed`, async () => (await fetch(`${app.url}/api/flows/${encodeURIComponent(f.id)}`)).status === 200);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await app?.stop();
});

test("/map marks the stop that changed; its flows lead to a stuck flow's timeline and how it differs", async () => {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  const changedStop = page.locator('[data-testid="map-type"][data-type="OrderCreated"] [data-testid="map-stop"][data-changed="true"]');
  const lastSteps = page.locator('[data-testid="map-type"][data-type="Return"] [data-testid="map-step"]').last();
  const load = async () => {
    const t0 = performance.now();
    await page.goto(`${app.url}/map`);
    await changedStop.waitFor({ state: "visible" });
    await lastSteps.waitFor({ state: "visible" });
    return Math.round(performance.now() - t0);
  };
  const [cold, warm] = [await load(), await load()];
  console.log(`[map] 3 flow types of 12 steps (and 2 small ones) visible and clickable: first load ${cold} ms, second ${warm} ms`);
  const visibleMs = warm;
  assert.deepEqual(await page.locator('[data-testid="map-type"]').evaluateAll((els) => els.map((e) => e.getAttribute("data-type")).sort()), ["Invoice", "OrderCreated", "RefundRequested", "Return", "Shipment"]);
  for (const type of ["Shipment", "Invoice", "Return"]) {
    assert.equal(await page.locator(`[data-testid="map-type"][data-type="${type}"] [data-testid="map-step"]`).count(), 12, type);
  }
  const change = page.locator('[data-testid="map-change"][data-kind="stop-share"]');
  assert.match(await change.innerText(), /^Since \d\d:\d\d, \d+ % of OrderCreated flows stop after PaymentProcessed, \d+ % in the hour before$/);
  assert.ok(visibleMs < 5000, `the map took ${visibleMs} ms`);

  await changedStop.click();
  const list = page.locator('[data-testid="map-flow-list"]');
  await list.waitFor();
  assert.match(await list.locator("h2").innerText(), /OrderCreated flows stopped after PaymentProcessed/);
  const first = list.locator('[data-testid="map-flow"][data-status="stuck"] a').first();
  const id = await first.innerText();
  const flow = candidates.find((f) => f.id === id);
  assert.ok(flow && flow.events.at(-1)!.ts < Date.now() - STUCK_AFTER_MS, `a recently stuck flow is listed first (${id})`);
  assert.match(page.url(), /sel=stop/);
  await first.click();
  await page.waitForURL(`**/flows/${encodeURIComponent(id)}**`);
  const summary = page.locator('[data-testid="against-type-summary"]');
  await summary.waitFor();
  assert.match(await summary.innerText(), /^Differs from the most common path of OrderCreated flows/);
  const findings = await page.locator('[data-testid="against-type-finding"]').allInnerTexts();
  assert.ok(findings.some((f) => /Stuck after PaymentProcessed/.test(f)), findings.join("\n"));
  assert.ok(findings.some((f) => /Never reached InventoryReserved, OrderCompleted/.test(f)), findings.join("\n"));
  // The panel sits beside the timeline, never over it: the first event stays clickable.
  await page.getByTestId("timeline-event").first().click();
  await page.getByTestId("event-detail").waitFor();
  assert.deepEqual(errors, []);
});

test("the map works from the keyboard: a focused step opens its flows with Enter", async () => {
  const page = await browser.newPage();
  await page.goto(`${app.url}/map?range=6h&compare=none`);
  const step = page.locator('[data-testid="map-type"][data-type="Invoice"] [data-testid="map-step"]').first();
  await step.waitFor();
  await step.focus();
  await page.keyboard.press("Enter");
  const list = page.locator('[data-testid="map-flow-list"]');
  await list.waitFor();
  await list.locator('[data-testid="map-flow"]').first().waitFor();
  assert.match(page.url(), /sel=step/);
  assert.equal(await page.locator('[data-testid="map-change"]').count(), 0, "no baseline, no changes");
  await page.keyboard.press("Escape");
  await list.waitFor({ state: "detached" });
});

test("a map the tap no longer maintains says so, and since when", async () => {
  const page = await browser.newPage();
  await page.goto(`${app.url}/map`);
  await page.locator('[data-testid="map-type"]').first().waitFor();
  assert.equal(await page.getByTestId("map-off").count(), 0, "maintained: no note");
  // What a tap started with FLOWTAP_FLOWMAP=off records (server/flowmap/settings.ts); this app's
  // tap reconciles only at its start, so the row stays as set here.
  const store = await openStore({ databaseUrl, dataDir: "" });
  try {
    await store.rows(sql`UPDATE flowmap_settings SET fingerprint = 'off', changed_at = '2026-04-25T09:52:00Z' WHERE id = 1`);
    await page.reload();
    const note = page.getByTestId("map-off");
    await note.waitFor();
    assert.match(await note.innerText(), /does not maintain the flow map \(FLOWTAP_FLOWMAP=off\) since 2026-04-25/);
    // The map still shows what it had: the note explains it, it does not replace it.
    assert.ok((await page.locator('[data-testid="map-type"]').count()) > 0);
  } finally {
    await store.close();
  }
});
