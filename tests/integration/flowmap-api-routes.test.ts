// The flow map's route handlers over the process runtime (PGlite, no tap): any query string gets a
// 200 or a 400 naming the parameter, never a 500; the answers have the contract's shape.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import fc from "fast-check";
import { stepKey } from "../../server/analysis/steps";
import { seed } from "./flowmap-api-seed";
import { S, scenario } from "./flowmap-api-scenario";
import { tempDir } from "./harness";

type Routes = {
  map: typeof import("../../app/api/flowmap/route");
  flows: typeof import("../../app/api/flowmap/flows/route");
  against: typeof import("../../app/api/flows/[correlationId]/against-type/route");
  runtime: typeof import("../../server/runtime");
};
let r: Routes;
const now = Date.now();
const get = (path: string) => new Request(`http://127.0.0.1${path}`);

before(async () => {
  Object.assign(process.env, { FLOWTAP_DATA_DIR: join(tempDir("flowmap-routes-"), "data"), FLOWTAP_TAP: "off", FLOWTAP_AUTH: "off" });
  delete process.env.DATABASE_URL;
  r = {
    map: await import("../../app/api/flowmap/route"),
    flows: await import("../../app/api/flowmap/flows/route"),
    against: await import("../../app/api/flows/[correlationId]/against-type/route"),
    runtime: await import("../../server/runtime"),
  };
  await seed(await r.runtime.getRuntime().store, scenario(now));
});

after(async () => {
  await (await r.runtime.getRuntime().store).close();
  await r.runtime.getRuntime().kafka.close();
});

test("the map, a flow list and a flow against its type answer with the contract's shapes", async () => {
  const map = await r.map.GET(get("/api/flowmap"));
  assert.equal(map.status, 200);
  const body = (await map.json()) as { flowTypes: Array<{ type: string; changes: Array<{ kind: string; text: string }> }> };
  assert.deepEqual(body.flowTypes.map((t) => t.type), ["OrderCreated", "RefundRequested"]);
  assert.ok(body.flowTypes[0]!.changes.some((c) => c.kind === "stop-share" && / stop after PaymentProcessed, /.test(c.text)));
  const list = await r.flows.GET(get(`/api/flowmap/flows?type=OrderCreated&stop=${encodeURIComponent(stepKey(S.paid))}&limit=3`));
  assert.equal(list.status, 200);
  const page = (await list.json()) as { flows: Array<{ correlationId: string; lastStep: string }>; nextCursor: string | null };
  assert.equal(page.flows.length, 3);
  assert.ok(page.flows.every((f) => f.lastStep === stepKey(S.paid)));
  assert.equal(typeof page.nextCursor, "string");
  const against = await r.against.GET(get("/api/flows/x/against-type"), { params: Promise.resolve({ correlationId: page.flows[0]!.correlationId }) });
  assert.equal(against.status, 200);
  assert.match(((await against.json()) as { summary: string }).summary, /^Differs from the most common path of OrderCreated flows/);
});

test("bad parameters are a 400 that names them", async () => {
  const cases: Array<[Promise<Response>, RegExp]> = [
    [r.map.GET(get("/api/flowmap?since=1y")), /^since: /],
    [r.map.GET(get("/api/flowmap?since=2020-01-01T00:00:00Z")), /^since: the window must be/],
    [r.map.GET(get("/api/flowmap?compare=month")), /^compare: /],
    [r.flows.GET(get("/api/flowmap/flows")), /^type: /],
    [r.flows.GET(get("/api/flowmap/flows?type=A&from=x")), /^to: from and to/],
    [r.flows.GET(get("/api/flowmap/flows?type=A&cursor=zzz")), /^cursor: /],
    [r.flows.GET(get("/api/flowmap/flows?type=A&limit=0")), /^limit: /],
  ];
  for (const [res, message] of cases) {
    const got = await res;
    assert.equal(got.status, 400);
    assert.match(((await got.json()) as { error: string }).error, message);
  }
});

test("no query string makes either route answer 500", async () => {
  const names = ["since", "until", "type", "compare", "step", "from", "to", "stop", "status", "variant", "cursor", "limit"];
  const value = fc.oneof(
    fc.string({ maxLength: 60 }),
    fc.constantFrom("15m", "1h", "7d", "8d", "0m", "9999m", "previous", "week", "none", "stuck", "stopped", "OrderCreated", stepKey(S.paid), "-1", "200", "201"),
    fc.date({ min: new Date("0001-01-01"), max: new Date("9999-12-31"), noInvalidDate: true }).map((d) => d.toISOString()),
  );
  await fc.assert(
    fc.asyncProperty(fc.dictionary(fc.constantFrom(...names), value, { maxKeys: 5 }), async (q) => {
      const qs = new URLSearchParams(q).toString();
      for (const res of [await r.map.GET(get(`/api/flowmap?${qs}`)), await r.flows.GET(get(`/api/flowmap/flows?${qs}`))]) {
        assert.ok(res.status === 200 || res.status === 400, `${res.status} for ?${qs}: ${await res.text()}`);
      }
    }),
    { numRuns: 150 },
  );
});
