import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  addResults, chunk, confirmForceText, confirmTargetsText, dryRunLines, isTopicQuery, progressText, REPLAY_CHUNK, refsFromKeys, replayErrorText, startProgress, summaryText,
  targetTopics,
  type ReplayResult,
} from "../../components/dlq/replay-plan";

const T = "pay.DLT";
function result(offset: number, status: ReplayResult["status"], extra: Partial<ReplayResult> = {}): ReplayResult {
  return { topic: T, partition: 0, offset: String(offset), status, targetTopic: "pay", targetPartition: offset % 2, targetOffset: null, replayId: null, ...extra };
}

describe("chunking", () => {
  test("at most 500 records a request (under the API's 1,000), in order, nothing lost", () => {
    assert.equal(REPLAY_CHUNK, 500);
    const items = Array.from({ length: 4200 }, (_, i) => i);
    const parts = chunk(items);
    assert.deepEqual(parts.map((p) => p.length), [500, 500, 500, 500, 500, 500, 500, 500, 200]);
    assert.deepEqual(parts.flat(), items);
    assert.deepEqual(chunk([1, 2, 3], 3), [[1, 2, 3]]);
    assert.deepEqual(chunk([], 500), []);
  });

  test("a bad size is refused rather than looping", () => {
    assert.throws(() => chunk([1], 0), RangeError);
    assert.throws(() => chunk([1], 1.5), RangeError);
  });
});

describe("selected keys to references", () => {
  test("parsed, deduplicated, sorted by partition then numeric offset; junk dropped", () => {
    const refs = refsFromKeys([`${T}/1/10`, `${T}/0/9`, `${T}/0/10`, `${T}/0/9`, "nonsense", `${T}/0/100`]);
    assert.deepEqual(refs, [
      { topic: T, partition: 0, offset: "9" },
      { topic: T, partition: 0, offset: "10" },
      { topic: T, partition: 0, offset: "100" },
      { topic: T, partition: 1, offset: "10" },
    ]);
  });

  test("offsets beyond 2^53 keep their digits", () => {
    assert.deepEqual(refsFromKeys([`${T}/0/9007199254740993`]), [{ topic: T, partition: 0, offset: "9007199254740993" }]);
  });
});

describe("progress accounting", () => {
  test("counts each chunk's statuses and keeps failures with their error text", () => {
    let p = startProgress(4200);
    assert.equal(progressText(p), "0 / 4,200 sent: 0 replayed, 0 already replayed, 0 failed");
    const first = [
      ...Array.from({ length: 990 }, (_, i) => result(i, "replayed")),
      ...Array.from({ length: 10 }, (_, i) => result(990 + i, "already-replayed")),
    ];
    const before = p;
    p = addResults(p, first.slice(0, 500));
    p = addResults(p, first.slice(500));
    assert.equal(before.sent, 0, "the previous progress is not changed");
    assert.equal(progressText(p), "1,000 / 4,200 sent: 990 replayed, 10 already replayed, 0 failed");
    p = addResults(p, [result(1000, "failed", { error: "<b>the source topic pay does not exist</b>" }), result(1001, "failed")]);
    assert.equal(p.failed, 2);
    assert.deepEqual(p.failures, [
      { key: `${T}/0/1000`, error: "<b>the source topic pay does not exist</b>" },
      { key: `${T}/0/1001`, error: "no reason given" },
    ]);
  });

  test("a dry run groups the targets: 'would send X records to topic/partition'", () => {
    let p = startProgress(5, true);
    p = addResults(p, [result(0, "dry-run"), result(1, "dry-run"), result(2, "dry-run"), result(3, "dry-run")]);
    p = addResults(p, [result(4, "failed", { error: "the record is no longer in Kafka" })]);
    assert.deepEqual(dryRunLines(p), ["would send 2 records to pay/0", "would send 2 records to pay/1"]);
    assert.equal(progressText(p), "5 / 5 sent (dry run): 4 would be sent, 1 would fail");
    assert.equal(summaryText(p), "Dry run of 5 records done: 4 would be sent, 1 would fail.");
    assert.deepEqual(dryRunLines(addResults(startProgress(1, true), [result(1, "dry-run")])), ["would send 1 record to pay/1"]);
  });
});

describe("summary text", () => {
  const p = addResults(startProgress(1200), [
    ...Array.from({ length: 498 }, (_, i) => result(i, "replayed")),
    result(498, "already-replayed"),
    result(499, "failed", { error: "x" }),
  ]);

  test("done", () => {
    const done = addResults(startProgress(4), [result(0, "replayed"), result(1, "replayed"), result(2, "replayed"), result(3, "replayed")]);
    assert.equal(summaryText(done), "Replay of 4 records done: 4 replayed, 0 already replayed, 0 failed.");
    assert.equal(summaryText(addResults(startProgress(1), [result(0, "replayed")])), "Replay of 1 record done: 1 replayed, 0 already replayed, 0 failed.");
  });

  test("cancelled says what was done and what was not sent", () => {
    assert.equal(summaryText(p, { kind: "cancelled" }), "Replay cancelled after 500 of 1,200 records: 498 replayed, 1 already replayed, 1 failed; 700 not sent.");
  });

  test("stopped by an error says why, what was done and what was not sent", () => {
    assert.equal(
      summaryText(p, { kind: "error", error: "refused: your role cannot replay (viewer)" }),
      "Replay stopped after 500 of 1,200 records (refused: your role cannot replay (viewer)): 498 replayed, 1 already replayed, 1 failed; 700 not sent.",
    );
  });
});

describe("questions and errors", () => {
  test("the confirmation names the count, what is replayed, and each target topic with its count, from a dry run", () => {
    let p = startProgress(6, true);
    p = addResults(p, [result(0, "dry-run"), result(1, "dry-run"), result(2, "dry-run", { targetTopic: "orders" })]);
    p = addResults(p, [
      result(3, "refused", { targetTopic: "connect-configs", targetPartition: null, error: "connect-configs is an internal topic" }),
      result(4, "refused", { targetTopic: "connect-configs", targetPartition: null, error: "connect-configs is an internal topic" }),
      result(5, "failed", { targetTopic: null, targetPartition: null, error: "the record is no longer in Kafka" }),
    ]);
    assert.deepEqual(targetTopics(p), [
      { topic: "pay", records: 2, refused: 0 },
      { topic: "orders", records: 1, refused: 0 },
      { topic: "connect-configs", records: 0, refused: 2 },
    ]);
    const q = confirmTargetsText(`all 6 matching reason "Card declined" in ${T}`, p);
    assert.match(q, /^Replay 3 records \(all 6 matching reason "Card declined" in pay\.DLT\)\?/);
    assert.match(q, /\n {2}pay: 2 records\n {2}orders: 1 record\n/);
    assert.match(q, /Not sent, refused \(outside the replay targets\):\n {2}connect-configs: 2 records/);
    assert.match(q, /1 record cannot be replayed/);
    assert.equal(p.refused, 2);
    assert.match(progressText(p), /3 would be sent, 1 would fail, 2 refused/);
    assert.deepEqual(p.failures.map((f) => f.key), [`${T}/0/3`, `${T}/0/4`, `${T}/0/5`], "refusals are listed with their reason");
    assert.match(confirmForceText(`${T}/0/3`, 2), /pay\.DLT\/0\/3 was already replayed 2 times/);
  });

  test("an unknown earlier outcome is counted apart and needs force", () => {
    const p = addResults(startProgress(2), [result(0, "replayed"), result(1, "unknown", { error: "the copy may have been removed; replay again only with force" })]);
    assert.equal(p.unknown, 1);
    assert.equal(summaryText(p), "Replay of 2 records done: 1 replayed, 0 already replayed, 0 failed, 1 unknown.");
  });

  test("401 and 403 read as what to do", () => {
    assert.match(replayErrorText(401, "sign in as an operator first"), /^sign in as an operator first/);
    assert.equal(replayErrorText(403, "viewer is a viewer; replay needs the operator role"), "refused: your role cannot replay (viewer is a viewer; replay needs the operator role)");
    assert.equal(replayErrorText(404, "not in the index: x/0/1"), "HTTP 404: not in the index: x/0/1");
  });
});

describe("which queries a replay makes stale", () => {
  const stale = isTopicQuery(T);
  test("this topic's messages, summary and records", () => {
    assert.equal(stale({ queryKey: ["dlq", "messages", T, {}] }), true);
    assert.equal(stale({ queryKey: ["dlq", "topic", T] }), true);
    assert.equal(stale({ queryKey: ["dlq", "record", `${T}/0/5`] }), true);
  });
  test("not other topics, the overview, flows or the session", () => {
    assert.equal(stale({ queryKey: ["dlq", "messages", "pay.DLT2", {}] }), false);
    assert.equal(stale({ queryKey: ["dlq", "record", `${T}2/0/5`] }), false);
    assert.equal(stale({ queryKey: ["dlq", "record", null] }), false);
    assert.equal(stale({ queryKey: ["dlq", "topics"] }), false);
    assert.equal(stale({ queryKey: ["flow", "abc"] }), false);
    assert.equal(stale({ queryKey: ["session"] }), false);
  });
});
