// Health's registry probe (server/health/registry-probe.ts) with a fake fetch, and what anonymous
// callers see of it. The real registry, stopped and started, is in
// tests/integration/health-registry.test.ts.
import assert from "node:assert/strict";
import { test } from "node:test";
import { createRegistryProbe } from "../../server/health/registry-probe";
import { healthStates, type HealthDetail } from "../../server/health/read-health";

type Call = { url: string; auth: string | undefined };

function fakeFetch(answer: (url: string) => Response | Error) {
  const calls: Call[] = [];
  const f = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = String(input);
    calls.push({ url, auth: (init?.headers as Record<string, string> | undefined)?.authorization });
    const a = answer(url);
    if (a instanceof Error) throw a;
    return a;
  }) as typeof fetch;
  return { f, calls };
}

const refused = () => Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNREFUSED", message: "connect ECONNREFUSED" } });

test("each URL without credentials, whether it answers, and why not; credentials go in the header", async () => {
  const { f, calls } = fakeFetch((url) => (url.startsWith("http://b") ? refused() : new Response('["AVRO"]', { status: 200 })));
  const probe = createRegistryProbe({ urls: ["http://ann:s3cret@a:8081/apis/ccompat/v7/", "http://b:8081"], username: null, password: null }, f);
  const h = await probe.check();
  assert.equal(h.ok, false);
  assert.deepEqual(h.urls.map((u) => [u.url, u.ok, u.error]), [
    ["http://a:8081/apis/ccompat/v7", true, undefined],
    ["http://b:8081", false, "does not answer: ECONNREFUSED"],
  ]);
  assert.equal(h.error, "schema registry http://b:8081 does not answer: ECONNREFUSED");
  assert.equal(calls[0]!.url, "http://a:8081/apis/ccompat/v7/schemas/types");
  assert.equal(calls[0]!.auth, `Basic ${Buffer.from("ann:s3cret").toString("base64")}`);
  assert.ok(!JSON.stringify(h).includes("s3cret"));
});

test("refused credentials and a wrong path are not ok, and say so", async () => {
  const { f } = fakeFetch((url) => new Response("", { status: url.includes("//a") ? 401 : 404 }));
  const h = await createRegistryProbe({ urls: ["http://a", "http://c/wrong"], username: "u", password: "p" }, f).check();
  assert.deepEqual(h.urls.map((u) => u.error), ["answers HTTP 401 (credentials refused)", "answers HTTP 404 (no Schema Registry API at this path)"]);
});

test("answers are reused for a few seconds and one probe runs at a time", async () => {
  const { f, calls } = fakeFetch(() => new Response("[]"));
  const probe = createRegistryProbe({ urls: ["http://a"], username: null, password: null }, f);
  await Promise.all([probe.check(), probe.check(), probe.check()]);
  await probe.check();
  assert.equal(calls.length, 1);
});

test("anonymous callers see only whether the registry is ok", () => {
  const detail: HealthDetail = {
    ok: false,
    kafka: { ok: true, brokers: ["k:9092"] },
    db: { ok: true, kind: "pglite" },
    tap: {
      running: true, states: ["running"], stalled: false, pending: 0, degraded: 0, quarantined: 0, instances: 1, partitions: 1,
      indexed: 0, lastIndexedAt: null, totalIndexed: 0, indexedSince: null, errors: [],
    },
    registry: { ok: false, urls: [{ url: "http://reg.internal:8081", ok: false, error: "does not answer: ECONNREFUSED", checkedAt: "2026-01-01T00:00:00.000Z" }], error: "schema registry http://reg.internal:8081 does not answer: ECONNREFUSED" },
  };
  const anon = healthStates(detail);
  assert.deepEqual(anon.registry, { ok: false });
  assert.ok(!JSON.stringify(anon).includes("reg.internal"));
  assert.equal(healthStates({ ...detail, registry: undefined }).registry, undefined);
});
