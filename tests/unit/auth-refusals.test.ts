// The audit limit for refused attempts: a burst per client, then a trickle; all clients
// together bounded too; the next written row says how many went unwritten.
import { test } from "node:test";
import assert from "node:assert/strict";
import { RefusalAuditLimit } from "../../server/auth/refusals";

const opts = { perClientBurst: 3, perClientEveryMs: 1_000, globalBurst: 5, globalEveryMs: 100, maxClients: 2 };
const written = (l: RefusalAuditLimit, client: string, now: number, n: number) =>
  Array.from({ length: n }, () => l.take(client, now)).filter((t) => t.write).length;

test("a client writes its burst, then one row per interval; the next row counts the suppressed", () => {
  const l = new RefusalAuditLimit(opts);
  assert.equal(written(l, "a", 0, 10), 3);
  assert.deepEqual(l.take("a", 999), { write: false });
  assert.deepEqual(l.take("a", 1_000), { write: true, suppressed: 8 });
  assert.deepEqual(l.take("a", 1_001), { write: false });
});

test("all clients together are bounded, however many addresses a caller makes up", () => {
  const l = new RefusalAuditLimit(opts);
  let rows = 0;
  for (let i = 0; i < 1_000; i++) rows += written(l, `10.0.${i >> 8}.${i & 255}`, 0, 1);
  assert.equal(rows, 5);
  assert.ok(written(l, "fresh", 100, 1) === 1, "the global bucket refills");
});

test("client keys are bounded in number and length", () => {
  const l = new RefusalAuditLimit(opts);
  const long = "x".repeat(10_000);
  assert.equal(written(l, `${long}1`, 0, 5), 3);
  // Same first 100 characters: the same client.
  assert.equal(written(l, `${long}2`, 0, 1), 0);
  assert.equal((l as unknown as { clients: Map<string, unknown> }).clients.size <= 2, true);
});
