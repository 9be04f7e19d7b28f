import assert from "node:assert/strict";
import { test } from "node:test";
import { FailureThrottle } from "../../server/auth/throttle";

const MIN = 60_000;
const make = (maxKeys = 100) => new FailureThrottle({ maxFailures: 3, windowMs: 15 * MIN, maxKeys });

test("a key is refused after maxFailures failures, until the oldest leaves the window", () => {
  const t = make();
  t.fail("ann", 0);
  t.fail("ann", 1 * MIN);
  assert.equal(t.retryAfterMs("ann", 2 * MIN), 0);
  t.fail("ann", 2 * MIN);
  assert.equal(t.retryAfterMs("ann", 3 * MIN), 12 * MIN);
  assert.equal(t.retryAfterMs("ann", 15 * MIN - 1), 1);
  assert.equal(t.retryAfterMs("ann", 15 * MIN), 0);
  // The window slides: one more failure now shuts it again until the next-oldest leaves.
  t.fail("ann", 15 * MIN);
  assert.equal(t.retryAfterMs("ann", 15 * MIN), 1 * MIN);
});

test("keys are independent, and a success clears the key", () => {
  const t = make();
  for (let i = 0; i < 3; i++) t.fail("ann", i);
  assert.ok(t.retryAfterMs("ann", 10) > 0);
  assert.equal(t.retryAfterMs("bob", 10), 0);
  t.succeed("ann");
  assert.equal(t.retryAfterMs("ann", 10), 0);
});

test("forgive takes back one failure counted before the outcome was known", () => {
  const t = make();
  t.fail("10.0.0.1", 5);
  t.fail("10.0.0.1", 6);
  t.fail("10.0.0.1", 7);
  assert.ok(t.retryAfterMs("10.0.0.1", 8) > 0);
  t.forgive("10.0.0.1", 7);
  assert.equal(t.retryAfterMs("10.0.0.1", 8), 0);
  t.forgive("10.0.0.1", 99); // nothing recorded then: no change
  t.fail("10.0.0.1", 8);
  assert.ok(t.retryAfterMs("10.0.0.1", 9) > 0);
});

test("failures older than the window do not count", () => {
  const t = make();
  t.fail("ann", 0);
  t.fail("ann", 1);
  t.fail("ann", 20 * MIN);
  assert.equal(t.retryAfterMs("ann", 20 * MIN), 0);
});

test("memory is bounded: the stalest keys are forgotten first", () => {
  const t = make(2);
  for (let i = 0; i < 3; i++) t.fail("old", i);
  for (let i = 0; i < 3; i++) t.fail("mid", 10 + i);
  for (let i = 0; i < 3; i++) t.fail("new", 20 + i);
  assert.equal(t.retryAfterMs("old", 30), 0);
  assert.ok(t.retryAfterMs("mid", 30) > 0);
  assert.ok(t.retryAfterMs("new", 30) > 0);
});
