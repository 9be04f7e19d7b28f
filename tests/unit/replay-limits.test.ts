// Pure parts of replay's sending: splitting a chunk so no partition's batch in one produce
// request passes the target's max.message.bytes, and the staleness window of a pending claim
// against the replay producer's whole retry budget.
import { test } from "node:test";
import assert from "node:assert/strict";
import { BATCH_OVERHEAD, recordSizeBound, splitForBatchLimit } from "../../server/kafka/produce-split";
import { replayRetryBudgetMs } from "../../server/kafka/produce";
import { STALE_AFTER_MS } from "../../server/replay/reconcile";
import type { OutRecord } from "../../server/kafka/produce";

const rec = (partition: number, bytes: number, topic = "t"): OutRecord => ({
  topic,
  partition,
  key: Buffer.from(`k${partition}`),
  value: Buffer.alloc(bytes, 1),
  headers: { "x-flowtap-replay-id": Buffer.from("0123456789abcdef0123456789abcdef0123"), many: [Buffer.from("a"), Buffer.from("b")] },
});

test("a record's size bound covers key, value, headers and the worst-case varints", () => {
  const r = rec(0, 8192);
  const payload = 2 + 8192 + "x-flowtap-replay-id".length + 36 + 2 * ("many".length + 1);
  assert.ok(recordSizeBound(r) >= payload + 20, `${recordSizeBound(r)} vs ${payload}`);
  assert.ok(recordSizeBound(r) <= payload + 80);
});

test("500 records of 8 KB on one partition split under a 1 MiB limit, order kept, nothing lost", () => {
  const limit = 1048588;
  const records = Array.from({ length: 500 }, () => rec(0, 8192));
  const parts = splitForBatchLimit(records, () => limit);
  assert.ok(parts.length >= 4, `${parts.length} sends`);
  assert.deepEqual(parts.flat(), records.map((_, i) => i), "indices in order");
  for (const p of parts) {
    const bytes = p.reduce((s, i) => s + recordSizeBound(records[i]!), BATCH_OVERHEAD);
    assert.ok(bytes <= limit - 1024, `batch of ${bytes} bytes`);
  }
});

test("partitions fill independently; each topic has its own limit", () => {
  const records = [rec(0, 600_000), rec(1, 600_000), rec(0, 600_000, "u"), rec(0, 600_000), rec(1, 600_000)];
  const parts = splitForBatchLimit(records, (topic) => (topic === "u" ? 100_000_000 : 1048588));
  assert.deepEqual(parts, [[0, 1, 2], [3, 4]]);
});

test("a single record over the limit is reported, not sent in a batch it would fail", () => {
  assert.throws(() => splitForBatchLimit([rec(0, 2_000_000)], () => 1048588), /over .*max\.message\.bytes/);
});

test("a pending claim is stale only after the producer's whole retry budget", () => {
  const budget = replayRetryBudgetMs();
  assert.ok(budget > 60_000, `budget ${budget} ms: the old 60 s window was shorter`);
  assert.ok(STALE_AFTER_MS > budget, `${STALE_AFTER_MS} > ${budget}`);
});
