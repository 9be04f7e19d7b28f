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

test("keys are independent", () => {
  const t = make();
  for (let i = 0; i < 3; i++) t.fail("ann", i);
  assert.ok(t.retryAfterMs("ann", 10) > 0);
  assert.equal(t.retryAfterMs("bob", 10), 0);
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

test("memory is bounded: keys with fewest failures are forgotten first, locked keys never", () => {
  const t = make(100);
  for (let i = 0; i < 3; i++) t.fail("victim", i); // locked
  for (let i = 0; i < 2; i++) t.fail("almost", i); // one guess short of locked
  // A spray of 10,000 junk names, one failure each.
  for (let i = 0; i < 10_000; i++) t.fail(`junk-${i}`, 10 + i);
  assert.ok(t.size <= 100, `${t.size} keys remembered`);
  assert.ok(t.retryAfterMs("victim", 20_000) > 0, "the victim's lock survives the spray");
  t.fail("almost", 20_000);
  assert.ok(t.retryAfterMs("almost", 20_001) > 0, "a counter with more failures than the junk survives too");
});

test("when every remembered key is locked, a new key is refused rather than a lock forgotten", () => {
  const t = make(2);
  for (let i = 0; i < 3; i++) t.fail("a", i);
  for (let i = 0; i < 3; i++) t.fail("b", i);
  t.fail("c", 5);
  assert.ok(t.retryAfterMs("a", 6) > 0);
  assert.ok(t.retryAfterMs("b", 6) > 0);
  assert.ok(t.retryAfterMs("c", 6) > 0, "fails closed for the newcomer");
  // Once the locks expire, newcomers are counted again.
  assert.equal(t.retryAfterMs("c", 15 * MIN + 10), 0);
});

test("keys are bounded in length: a long key is stored as a digest, still told apart", () => {
  const t = make();
  const long = "x".repeat(100_000);
  for (let i = 0; i < 3; i++) t.fail(`${long}a`, i);
  assert.ok(t.retryAfterMs(`${long}a`, 5) > 0);
  assert.equal(t.retryAfterMs(`${long}b`, 5), 0);
  assert.ok(t.longestKey <= 64, `longest stored key: ${t.longestKey}`);
});
