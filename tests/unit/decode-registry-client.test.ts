import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createRegistryClient } from "../../server/decode/registry-client";
import { SchemaNotFound } from "../../server/decode/types";

type Call = { url: string; auth: string | undefined };

/** A fetch stand-in: answers by URL prefix; "hang" waits for the abort signal. */
function fakeFetch(routes: Record<string, number | "hang" | "refuse">, calls: Call[]): typeof fetch {
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const url = String(input);
    calls.push({ url, auth: (init?.headers as Record<string, string>)?.authorization });
    const host = Object.keys(routes).find((h) => url.startsWith(h));
    const route = host === undefined ? 404 : routes[host]!;
    if (route === "refuse") throw Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNREFUSED", message: "connect ECONNREFUSED" } });
    if (route === "hang") {
      await new Promise((_, reject) => init?.signal?.addEventListener("abort", () => reject(init.signal!.reason)));
    }
    const body = url.includes("/versions") ? JSON.stringify([{ subject: "s", version: 2 }]) : url.includes("/apis/registry/v2/") ? '{"type":"record","name":"R","fields":[]}' : JSON.stringify({ schema: '"string"' });
    return new Response(route === 200 ? body : '{"error_code":40403}', { status: route as number, headers: { "content-type": "application/json" } });
  }) as typeof fetch;
}

describe("schema registry client", () => {
  test("fails over to the next URL and skips a failed one until the retry interval", async () => {
    const calls: Call[] = [];
    const client = createRegistryClient({
      urls: ["http://a:8081", "http://b:8081"], username: null, password: null, timeoutMs: 100, retryAfterMs: 60_000,
      fetch: fakeFetch({ "http://a": "refuse", "http://b": 200 }, calls),
    });
    assert.deepEqual(await client.byId(1), { schema: '"string"' });
    await client.byId(2);
    assert.deepEqual(calls.map((c) => c.url), ["http://a:8081/schemas/ids/1", "http://b:8081/schemas/ids/1", "http://b:8081/schemas/ids/2"]);
    const [a, b] = client.state();
    assert.equal(a!.ok, false);
    assert.equal(a!.lastError, "ECONNREFUSED (connect ECONNREFUSED)");
    assert.equal(b!.ok, true);
    assert.ok(b!.lastAnsweredAt !== null);
  });

  test("every call has a timeout; all URLs down fails at once with the last error", async () => {
    const calls: Call[] = [];
    const client = createRegistryClient({ urls: ["http://a"], username: null, password: null, timeoutMs: 100, retryAfterMs: 60_000, fetch: fakeFetch({ "http://a": "hang" }, calls) });
    const started = performance.now();
    // AbortSignal.timeout's timer does not hold the event loop open; in the tap the consumer does.
    const keepAlive = setTimeout(() => {}, 5000);
    await assert.rejects(client.byId(1), /no answer within 100 ms/);
    clearTimeout(keepAlive);
    assert.ok(performance.now() - started < 1000);
    await assert.rejects(client.byId(2), /schema registry unavailable: no answer within 100 ms/);
    assert.equal(calls.length, 1, "a URL that failed is not asked again within the retry interval");
  });

  test("404 is an answer: SchemaNotFound, the URL stays up", async () => {
    const client = createRegistryClient({ urls: ["http://a"], username: null, password: null, timeoutMs: 100, retryAfterMs: 60_000, fetch: fakeFetch({ "http://a": 404 }, []) });
    await assert.rejects(client.byId(9), SchemaNotFound);
    assert.equal(client.state()[0]!.ok, true);
  });

  test("basic auth from the settings or the URL; health never shows credentials", async () => {
    const calls: Call[] = [];
    const client = createRegistryClient({ urls: ["http://u:secret@a/base/"], username: null, password: null, timeoutMs: 100, retryAfterMs: 1, fetch: fakeFetch({ "http://a": 200 }, calls) });
    await client.byId(1);
    assert.equal(calls[0]!.url, "http://a/base/schemas/ids/1");
    assert.equal(calls[0]!.auth, `Basic ${Buffer.from("u:secret").toString("base64")}`);
    assert.equal(client.state()[0]!.url, "http://a/base");
    const env = createRegistryClient({ urls: ["http://a"], username: "key", password: "p4ss", timeoutMs: 100, retryAfterMs: 1, fetch: fakeFetch({ "http://a": 500 }, calls) });
    await assert.rejects(env.byId(1));
    assert.equal(calls[1]!.auth, `Basic ${Buffer.from("key:p4ss").toString("base64")}`);
    assert.ok(!JSON.stringify(env.state()).includes("p4ss"));
  });

  test("subject and version of an ID; Apicurio globalIds through the native API beside ccompat", async () => {
    const calls: Call[] = [];
    const client = createRegistryClient({ urls: ["http://r/apis/ccompat/v7"], username: null, password: null, timeoutMs: 100, retryAfterMs: 1, fetch: fakeFetch({ "http://r": 200 }, calls) });
    assert.deepEqual(await client.versionsOfId(4), [{ subject: "s", version: 2 }]);
    const s = await client.byApicurioGlobalId(12);
    assert.equal(calls[1]!.url, "http://r/apis/registry/v2/ids/globalIds/12");
    assert.equal(s.schemaType, "AVRO");
    const plain = createRegistryClient({ urls: ["http://r"], username: null, password: null, timeoutMs: 100, retryAfterMs: 1, fetch: fakeFetch({}, []) });
    await assert.rejects(plain.byApicurioGlobalId(12), /ccompat/);
  });
});
