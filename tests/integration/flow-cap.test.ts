// The flow API is bounded by payload bytes as well as by events, says so with `truncated`, and
// pages on with `?after=`; a plain request answers as before for a flow that fits.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { sql } from "drizzle-orm";
import { openStore, type Store } from "../../server/db/client";
import { findFlow, MAX_FLOW_BYTES, type Flow } from "../../server/flows/find-flow";
import type { EventJson } from "../../server/flows/event-json";
import { freshDatabase, tempDir } from "./harness";

type Routes = {
  flow: typeof import("../../app/api/flows/[correlationId]/route");
  runtime: typeof import("../../server/runtime");
};
let r: Routes;
let pg: Store;

/** 200 events of ~60 KiB: 11.4 MiB of payload, past the 8 MiB cap. Pairs share a timestamp. */
const BIG = 200;
const PAD = 60_000;

async function seed(store: Store): Promise<void> {
  await store.rows(sql`
    INSERT INTO events (topic, partition, "offset", ts, correlation_id, headers, value_kind, value, size)
    SELECT 'cap.orders', 1 - g % 2, g, timestamptz '2024-05-01 10:00:00+00' + (g / 2) * interval '1 millisecond', 'big-flow',
           '{"h":"v"}'::json, 'json', ('{"i":' || g || ',"pad":"' || repeat('x', ${PAD}) || '"}')::json, ${PAD + 20}
    FROM generate_series(1, ${BIG}) g
    UNION ALL
    SELECT 'cap.orders', 0, 1000 + g, timestamptz '2024-05-01 11:00:00+00' + g * interval '1 second', 'small-flow',
           '{}'::json, 'json', '{"ok":true}'::json, 11
    FROM generate_series(1, 3) g`);
}

const payloadBytes = (events: EventJson[]) =>
  events.reduce((n, e) => n + Buffer.byteLength(JSON.stringify(e.value ?? "")) + Buffer.byteLength(JSON.stringify(e.headers)), 0);
const ids = (events: EventJson[]) => events.map((e) => `${e.partition}/${e.offset}`);

async function allPages(next: (after?: string) => Promise<Flow>): Promise<{ pages: Flow[]; events: EventJson[] }> {
  const pages: Flow[] = [];
  let cursor: string | undefined;
  do {
    const page = await next(cursor);
    pages.push(page);
    cursor = page.nextCursor ?? undefined;
    assert.ok(pages.length <= 500, "paging ends");
  } while (cursor);
  return { pages, events: pages.flatMap((p) => p.events) };
}

// Time, then (one topic) partition, then offset: within a shared timestamp the odd offset, on
// partition 0, comes before the even one, so a keyset on time alone would lose or repeat events.
const wantOrder = Array.from({ length: BIG }, (_, i) => i + 1)
  .map((g) => ({ ts: Math.floor(g / 2), partition: 1 - (g % 2), g }))
  .sort((a, b) => a.ts - b.ts || a.partition - b.partition || a.g - b.g)
  .map((e) => `${e.partition}/${e.g}`);

before(async () => {
  Object.assign(process.env, { FLOWTAP_DATA_DIR: tempDir("cap-"), FLOWTAP_TAP: "off", FLOWTAP_AUTH: "off" }); // no users: open mode on purpose
  delete process.env.DATABASE_URL;
  r = { flow: await import("../../app/api/flows/[correlationId]/route"), runtime: await import("../../server/runtime") };
  await seed(await r.runtime.getRuntime().store);
  pg = await openStore({ databaseUrl: await freshDatabase(), dataDir: tempDir() });
  await seed(pg);
});

after(async () => {
  await (await r.runtime.getRuntime().store).close();
  await pg.close();
});

const get = (id: string, query = "") =>
  r.flow.GET(new Request(`http://127.0.0.1/api/flows/${id}${query}`), { params: Promise.resolve({ correlationId: id }) });

test("GET /api/flows/{id} stops at 8 MiB of payload, says truncated, and pages on with ?after= (pglite)", async () => {
  const res = await get("big-flow");
  assert.equal(res.status, 200);
  const text = await res.text();
  const first = JSON.parse(text) as Flow;
  assert.equal(first.truncated, true);
  assert.ok(first.nextCursor);
  assert.ok(first.events.length > 100 && first.events.length < BIG, `${first.events.length} events`);
  assert.ok(payloadBytes(first.events) <= MAX_FLOW_BYTES, `payload ${payloadBytes(first.events)} ≤ ${MAX_FLOW_BYTES}`);
  assert.ok(payloadBytes(first.events) + PAD > MAX_FLOW_BYTES, "the page is as full as the cap allows");
  assert.ok(Buffer.byteLength(text) < MAX_FLOW_BYTES + 200 * 1024, `the whole answer is ${Buffer.byteLength(text)} bytes`);

  const { pages, events } = await allPages(async (after) => (await (await get("big-flow", after ? `?after=${after}` : "")).json()) as Flow);
  assert.equal(pages.length, 2);
  assert.deepEqual(ids(events), wantOrder, "pages neither overlap nor skip, across shared timestamps");
  assert.equal(pages.at(-1)!.truncated, false);
});

test("?limit= pages by count; a flow that fits answers as before; bad paging is a 400 (pglite)", async () => {
  const { pages, events } = await allPages(async (after) => (await (await get("big-flow", `?limit=7${after ? `&after=${after}` : ""}`)).json()) as Flow);
  assert.equal(pages.length, Math.ceil(BIG / 7));
  assert.ok(pages.slice(0, -1).every((p) => p.events.length === 7 && p.truncated));
  assert.deepEqual(ids(events), wantOrder);

  const small = (await (await get("small-flow")).json()) as Record<string, unknown>;
  assert.deepEqual(Object.keys(small).sort(), ["correlationId", "events", "nextCursor", "truncated"]);
  assert.equal((small.events as unknown[]).length, 3);
  assert.equal(small.truncated, false);
  assert.equal(small.nextCursor, null);

  assert.equal((await get("big-flow", "?after=bm9wZQ")).status, 400);
  assert.equal((await get("big-flow", "?limit=0")).status, 400);
  assert.equal((await get("big-flow", "?limit=10001")).status, 400);
  assert.equal((await get("no-such-flow")).status, 404);
});

test("the byte cap pages the same on PostgreSQL; an event larger than the cap still comes, alone", async () => {
  const { pages, events } = await allPages(async (after) => (await findFlow(pg, "big-flow", { after }))!);
  assert.equal(pages.length, 2);
  assert.ok(pages[0]!.truncated && payloadBytes(pages[0]!.events) <= MAX_FLOW_BYTES);
  assert.deepEqual(ids(events), wantOrder);
  // A cap below one event: one event a page, never none (which would never end).
  const tiny = await allPages(async (after) => (await findFlow(pg, "big-flow", { after, maxBytes: 1000, limit: 50 }))!);
  assert.equal(tiny.pages.length, BIG);
  assert.deepEqual(ids(tiny.events), wantOrder);
});
