import assert from "node:assert/strict";
import { test } from "node:test";
import { toDeadLetterMessage, withoutStacktraceHeaders, type DeadLetterRow } from "../../server/dlq/dead-letter-json";
import { toEventJson, type EventRow } from "../../server/flows/event-json";

const event: EventRow = {
  topic: "payments.DLT", partition: 1, offset: "42", ts: "2026-04-25T09:52:39.340Z", key: "k", key_binary: false,
  correlation_id: "ord-1", correlation_from_trace: false, event_id: null, event_type: null, event_version: null, service: null,
  causation_id: null, trace_id: null,
  headers: {
    "kafka_dlt-exception-message": "boom",
    "kafka_dlt-exception-stacktrace": "java.lang.X\n\tat a.b(C.java:1)",
    "__connect.errors.exception.stacktrace": { base64: "AAE=" },
    "X-Stack-Trace": "custom",
    "x-stacktrace-id": "kept: the name does not end in stacktrace",
  },
  value_kind: "json", value: { a: 1 }, value_truncated: false, size: 7, tombstone: false, is_dlq: true, dlq_family: "spring-dlt",
  dlq_source_topic: "payments", dlq_source_partition: 0, dlq_source_offset: "7", dlq_error_class: "X", dlq_error_message: "boom",
  dlq_failed_group: "g", dlq_attempts: null, has_stacktrace: true, anomalies: null, encoding: null, decode_error: null,
};
const never = { replay_id: null, replay_status: null, replayed_at: null, target_topic: null, target_partition: null, target_offset: null, replay_error: null, replay_count: null };

test("the stack-trace headers leave the list, whatever their case or encoding; other headers stay", () => {
  const headers = withoutStacktraceHeaders(toEventJson(event)).headers;
  assert.deepEqual(Object.keys(headers), ["kafka_dlt-exception-message", "x-stacktrace-id"]);
});

test("headers stay whole when the record has no stack trace (a header by that name is then not the failure's)", () => {
  const e = toEventJson({ ...event, has_stacktrace: false });
  assert.equal(withoutStacktraceHeaders(e), e);
  const plain = toEventJson({ ...event, is_dlq: false });
  assert.equal(withoutStacktraceHeaders(plain), plain);
});

test("a record never replayed has replay null; otherwise its latest attempt and success count", () => {
  assert.equal(toDeadLetterMessage({ ...event, ...never } satisfies DeadLetterRow).replay, null);
  const m = toDeadLetterMessage({
    ...event, replay_id: "r-2", replay_status: "failed", replayed_at: "2026-04-25T10:00:00.000Z", target_topic: null,
    target_partition: null, target_offset: null, replay_error: "NOT_LEADER", replay_count: 1,
  });
  assert.deepEqual(m.replay, {
    status: "failed", replayId: "r-2", replayedAt: "2026-04-25T10:00:00.000Z", targetTopic: null, targetPartition: null, targetOffset: null, error: "NOT_LEADER", count: 1,
  });
  assert.equal(m.dlq?.sourceTopic, "payments");
  assert.equal("kafka_dlt-exception-stacktrace" in m.headers, false);
});

test("a dead letter that is a failed replay names the dead letter it was replayed from", () => {
  assert.equal(toDeadLetterMessage({ ...event, ...never }).replayOf, null);
  const again = toDeadLetterMessage({
    ...event,
    ...never,
    headers: { ...event.headers, "X-Flowtap-Replay-Of": "payments.DLT/0/7", "x-flowtap-replay-count": "2" },
  });
  assert.deepEqual(again.replayOf, { of: "payments.DLT/0/7", cycle: 2 });
  const noCount = toDeadLetterMessage({ ...event, ...never, headers: { "x-flowtap-replay-of": "t/1/2", "x-flowtap-replay-count": "zero" } });
  assert.deepEqual(noCount.replayOf, { of: "t/1/2", cycle: null });
});
