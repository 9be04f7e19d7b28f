import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { EventJson } from "../../server/flows/event-json";
import {
  analyzeFlow, compareVersions, eventFamily, eventLabel, explainMarks, gapSpace, isLive, NO_SERVICE, ROW_HEIGHT,
} from "../../server/analysis/flow-analysis";
import { firstRowAtOrAfter, gapLabel } from "../../components/flow/flow-display";
import { base64ToBytes, hexDump, isBase64Value } from "../../components/flow/bytes";
import { formatDuration, formatGap, formatRelative, formatUtc } from "../../components/time-format";

let offset = 0;
function ev(over: Partial<EventJson> = {}): EventJson {
  return {
    topic: "orders.created", partition: 0, offset: String(offset++), timestamp: "2026-04-25T09:52:39.000Z",
    key: null, correlationId: "ord-1", correlationFromTrace: false, eventId: null, eventType: "OrderCreated",
    eventVersion: null, service: "order-service", causationId: null, traceId: null, headers: {},
    valueKind: "json", value: {}, truncated: false, size: 2, tombstone: false, dlq: null, anomalies: null,
    encoding: null, keyEncoding: null, decodeError: null, ...over,
  };
}
const at = (s: number) => new Date(Date.UTC(2026, 3, 25, 9, 0, 0) + s * 1000).toISOString();
const dlq = { family: "spring", sourceTopic: "payments", sourcePartition: 2, sourceOffset: "12345", errorClass: "java.lang.IllegalStateException",
  errorMessage: "Card declined", failedGroup: "payment-service", attempts: null, hasStacktrace: false };

describe("lanes", () => {
  const events = [
    ev({ service: "order-service", topic: "orders.created", timestamp: at(0) }),
    ev({ service: "payment-service", topic: "payments.requested", timestamp: at(1) }),
    ev({ service: null, topic: "orders.created", timestamp: at(2) }),
    ev({ service: "order-service", topic: "orders.completed", timestamp: at(3) }),
  ];
  test("one lane per service in order of first appearance, a shared lane for events without one", () => {
    const a = analyzeFlow(events, "service");
    assert.deepEqual(a.lanes, ["order-service", "payment-service", NO_SERVICE]);
    assert.deepEqual(a.rows.map((r) => r.lane), [0, 1, 2, 0]);
  });
  test("one lane per topic when switched", () => {
    const a = analyzeFlow(events, "topic");
    assert.deepEqual(a.lanes, ["orders.created", "payments.requested", "orders.completed"]);
    assert.deepEqual(a.rows.map((r) => r.lane), [0, 1, 0, 2]);
  });
});

describe("time and placement", () => {
  test("events are put in time order whatever order they arrive in, ties kept stable", () => {
    const a = analyzeFlow([ev({ offset: "late", timestamp: at(5) }), ev({ offset: "t1", timestamp: at(1) }), ev({ offset: "t2", timestamp: at(1) })], "service");
    assert.deepEqual(a.rows.map((r) => r.event.offset), ["t1", "t2", "late"]);
  });
  test("gaps are measured from the previous event and labelled", () => {
    const a = analyzeFlow([ev({ timestamp: at(0) }), ev({ timestamp: "2026-04-25T09:00:01.234Z" }), ev({ timestamp: at(126) })], "service");
    assert.deepEqual(a.rows.map((r) => r.gapMs), [null, 1234, 124_766]);
    assert.deepEqual(a.rows.map(gapLabel), ["", "+1.2 s", "+2 min 4 s"]);
  });
  test("rows move down with the gap, never overlap, and long pauses are capped", () => {
    const a = analyzeFlow([ev({ timestamp: at(0) }), ev({ timestamp: at(0) }), ev({ timestamp: at(10) }), ev({ timestamp: at(86_400) })], "service");
    const ys = a.rows.map((r) => r.y);
    assert.equal(ys[0], 0);
    assert.equal(ys[1], ROW_HEIGHT);
    assert.ok(ys[2]! - ys[1]! > ROW_HEIGHT, "a 10 s pause adds space");
    assert.ok(ys[3]! - ys[2]! <= ROW_HEIGHT + 60, "a day-long pause is capped");
    assert.equal(a.height, ys[3]! + ROW_HEIGHT);
  });
  test("gap space grows with the gap and is zero for none or negative", () => {
    assert.equal(gapSpace(null), 0);
    assert.equal(gapSpace(-5), 0);
    assert.ok(gapSpace(100) < gapSpace(1_000));
    assert.ok(gapSpace(1_000) < gapSpace(60_000));
    assert.equal(gapSpace(1e12), 60);
  });
  test("the first visible row is found by binary search", () => {
    const a = analyzeFlow(Array.from({ length: 100 }, () => ev({ timestamp: at(0) })), "service");
    assert.equal(firstRowAtOrAfter(a.rows, 0), 0);
    assert.equal(firstRowAtOrAfter(a.rows, ROW_HEIGHT * 10), 10);
    assert.equal(firstRowAtOrAfter(a.rows, ROW_HEIGHT * 10 + 1), 11);
    assert.equal(firstRowAtOrAfter(a.rows, 1e9), 100);
  });
});

describe("anomalies", () => {
  test("the second and third delivery of an event ID are duplicates; the first is not", () => {
    const a = analyzeFlow([ev({ eventId: "e1", timestamp: at(0) }), ev({ eventId: "e1", timestamp: at(1) }), ev({ eventId: "e2", timestamp: at(2) }), ev({ eventId: "e1", timestamp: at(3) })], "service");
    assert.deepEqual(a.rows.map((r) => r.duplicate?.delivery ?? null), [null, 2, null, 3]);
    assert.equal(a.rows[1]!.duplicate!.firstKey, a.rows[0]!.key);
    assert.equal(a.counts.duplicate, 2);
  });
  test("a dead-letter copy of an event is not a duplicate, and is counted as a dead letter", () => {
    const a = analyzeFlow([ev({ eventId: "e1", timestamp: at(0) }), ev({ eventId: "e1", topic: "payments.DLT", dlq, timestamp: at(1) })], "service");
    assert.equal(a.rows[1]!.duplicate, null);
    assert.equal(a.counts.dlq, 1);
    assert.equal(explainMarks(a.rows[1]!)[0]!.kind, "dlq");
    assert.match(explainMarks(a.rows[1]!)[0]!.text, /Dead letter: failed from payments\/2\/12345 in group payment-service — java.lang.IllegalStateException: Card declined/);
  });
  test("versions compare as numbers when both are numbers: 9 after 10 is out of order", () => {
    const a = analyzeFlow([
      ev({ eventType: "OrderUpdated", eventVersion: "10", timestamp: at(0) }),
      ev({ eventType: "OrderUpdated", eventVersion: "9", timestamp: at(1) }),
      ev({ eventType: "OrderUpdated", eventVersion: "10", timestamp: at(2) }),
      ev({ eventType: "OrderCreated", eventVersion: "1", timestamp: at(3) }),
    ], "service");
    assert.deepEqual(a.rows.map((r) => r.outOfOrder !== null), [false, true, false, false]);
    assert.deepEqual(a.rows[1]!.outOfOrder, { version: "9", afterVersion: "10", afterKey: a.rows[0]!.key });
    assert.match(explainMarks(a.rows[1]!)[0]!.text, /^Out of order: version 9 arrived after version 10/);
  });
  test("an event type family spans suffixed versions", () => {
    assert.equal(eventFamily("OrderUpdated.v2"), "OrderUpdated");
    assert.equal(eventFamily("order-updated-V3"), "order-updated");
    const a = analyzeFlow([ev({ eventType: "OrderUpdated.v2", eventVersion: "2", timestamp: at(0) }), ev({ eventType: "OrderUpdated.v1", eventVersion: "1", timestamp: at(1) })], "service");
    assert.notEqual(a.rows[1]!.outOfOrder, null);
  });
  test("non-numeric versions use natural order", () => {
    assert.ok(compareVersions("1.10.0", "1.9.0") > 0);
    assert.ok(compareVersions("10", "9") > 0);
    assert.ok(compareVersions("2", "2.0") === 0);
  });
});

describe("labels", () => {
  test("an event without a type still says what it is", () => {
    assert.equal(eventLabel(ev({ eventType: "OrderCreated" })), "OrderCreated");
    assert.equal(eventLabel(ev({ eventType: null, tombstone: true, valueKind: "null" })), "(tombstone)");
    assert.equal(eventLabel(ev({ eventType: null, valueKind: "binary" })), "(binary record)");
    assert.equal(eventLabel(ev({ eventType: null })), "(no event type)");
  });
});

describe("causation", () => {
  test("a link is drawn where causationId names another event of the flow", () => {
    const a = analyzeFlow([
      ev({ eventId: "a", timestamp: at(0) }),
      ev({ eventId: "b", causationId: "a", timestamp: at(1) }),
      ev({ eventId: "c", causationId: "missing", timestamp: at(2) }),
      ev({ eventId: "d", causationId: "d", timestamp: at(3) }),
      ev({ eventId: "e", causationId: "b", timestamp: at(4) }),
    ], "service");
    assert.deepEqual(a.edges, [{ from: 0, to: 1 }, { from: 1, to: 4 }]);
  });
});

describe("liveness", () => {
  const now = Date.parse(at(1000));
  test("a flow without a terminal event is live however old", () => assert.equal(isLive(at(0), false, now), true));
  test("a completed flow is live only while recent", () => {
    assert.equal(isLive(at(990), true, now), true);
    assert.equal(isLive(at(0), true, now), false);
  });
  test("unknown completion falls back to recency", () => assert.equal(isLive(at(0), null, now), false));
});

describe("time formatting", () => {
  test("durations use at most two units", () => {
    assert.deepEqual([340, 1234, 12_900, 125_000, 3_600_000, 3_780_000, 2 * 86_400_000 + 4 * 3_600_000].map(formatDuration),
      ["340 ms", "1.2 s", "12 s", "2 min 5 s", "1 h", "1 h 3 min", "2 d 4 h"]);
  });
  test("gaps carry a sign", () => {
    assert.equal(formatGap(1200), "+1.2 s");
    assert.equal(formatGap(-1200), "−1.2 s");
  });
  test("relative times read naturally, including clocks ahead of ours", () => {
    const now = Date.parse(at(3600));
    assert.equal(formatRelative(at(3599.5), now), "just now");
    assert.equal(formatRelative(at(3588), now), "12 s ago");
    assert.equal(formatRelative(at(3000), now), "10 min ago");
    assert.equal(formatRelative(at(3610), now), "in 10 s");
    assert.equal(formatRelative("not a date", now), "unknown time");
  });
  test("UTC is ISO with milliseconds", () => assert.equal(formatUtc("2026-04-25T11:52:39.34+02:00"), "2026-04-25T09:52:39.340Z"));
});

describe("binary", () => {
  test("hex dump shows offsets, bytes and printable characters", () => {
    const bytes = base64ToBytes("CJYB//4AEg==");
    assert.deepEqual([...bytes], [0x08, 0x96, 0x01, 0xff, 0xfe, 0x00, 0x12]);
    assert.equal(hexDump(bytes), `00000000  08 96 01 ff fe 00 12${" ".repeat(27)}  |.......|`);
    assert.equal(hexDump(bytes, 4).split("\n")[1], "00000004  fe 00 12     |...|");
    assert.match(hexDump(new Uint8Array(40), 16, 16), /\n… 24 more bytes$/);
  });
  test("bad base64 gives no bytes rather than an exception", () => assert.equal(base64ToBytes("%%%").length, 0));
  test("only { base64: string } is a binary value", () => {
    assert.equal(isBase64Value({ base64: "AA==" }), true);
    assert.equal(isBase64Value({ base64: 1 }), false);
    assert.equal(isBase64Value("AA=="), false);
  });
});
