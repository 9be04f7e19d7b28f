import { test } from "node:test";
import assert from "node:assert/strict";
import { handle, HttpError, isStoreUnavailable } from "../../server/http/respond";

test("store connection failures are told from other errors, also when wrapped", () => {
  const refused = Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
  assert.equal(isStoreUnavailable(refused), true);
  assert.equal(isStoreUnavailable(new Error("Failed query", { cause: refused })), true, "drizzle's wrapper");
  assert.equal(isStoreUnavailable(Object.assign(new Error("shutting down"), { code: "57P01" })), true);
  assert.equal(isStoreUnavailable(Object.assign(new Error("syntax"), { code: "42601" })), false);
  assert.equal(isStoreUnavailable(new TypeError("x is undefined")), false);
  assert.equal(isStoreUnavailable(null), false);
});

test("handle answers HttpErrors as given, the store away as 503, anything else as 500", async () => {
  const status = async (err: unknown) => (await handle(() => Promise.reject(err))).status;
  assert.equal(await status(new HttpError(404, "nope")), 404);
  assert.equal(await status(Object.assign(new Error("down"), { code: "CONNECTION_CLOSED" })), 503);
  assert.equal(await status(new Error("bug")), 500);
  const body = (await (await handle(() => Promise.reject(new HttpError(400, "q: is required")))).json()) as { error: string };
  assert.deepEqual(body, { error: "q: is required" });
});

test("a 500 says nothing of the error's text (it can quote input) and gives a reference the server log carries", async () => {
  const logged: string[] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => void logged.push(args.join(" "));
  try {
    const secret = "Cannot use 'in' operator to search for 'at' in order-4711-payload";
    const res = await handle(() => Promise.reject(new TypeError(secret)));
    assert.equal(res.status, 500);
    const { error } = (await res.json()) as { error: string };
    assert.ok(!error.includes("order-4711"), error);
    const ref = /ref ([0-9a-f]{8,})/.exec(error)?.[1];
    assert.ok(ref, `a reference in: ${error}`);
    assert.ok(logged.some((l) => l.includes(ref!) && l.includes(secret)), "the log has the reference and the whole message");
  } finally {
    console.error = original;
  }
});
