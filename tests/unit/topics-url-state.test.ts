// The topic page's pure parts: URL state ↔ API request, the live tail's merge, the row preview.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { EventJson } from "../../server/flows/event-json";
import { MAX_TAIL_ROWS, mergeTail, tailSince, EMPTY_TAIL } from "../../components/topics/tail";
import { valuePreview } from "../../components/topics/record-format";
import { apiParams, canTail, customChanges, presetOf, stateFrom, tailParams } from "../../components/topics/url-state";

const state = (qs: string) => stateFrom(new URLSearchParams(qs));

test("the URL is the request: same names, empty means unset, page-only parameters left out", () => {
  const s = state("from=1h&key=k1&contains=&record=t/0/1&live=off");
  assert.equal(apiParams(s).toString(), "from=1h&key=k1");
  assert.equal(presetOf(s), "1h");
  assert.equal(presetOf(state("")), "15m");
  assert.equal(presetOf(state("from=2026-05-01T00:00:00.000Z")), null);
});

test("live tail only for newest-first windows that end now", () => {
  assert.equal(canTail(state("")), true);
  assert.equal(canTail(state("from=6h&eventType=X")), true);
  assert.equal(canTail(state("order=oldest")), false);
  assert.equal(canTail(state("to=2026-05-01T00:00:00Z")), false);
  assert.equal(canTail(state("from=2026-05-01T00:00:00Z")), false);
  assert.equal(canTail(state("partition=1&offset=5")), false);
  const tail = tailParams(state("from=1h&partition=2&header=a%3Db"), "2026-05-01T11:59:00.000Z", 200);
  assert.equal(tail.toString(), "from=2026-05-01T11%3A59%3A00.000Z&partition=2&order=oldest&header=a%3Db&limit=200");
});

test("a span before a fixed end becomes the instant it stands for", () => {
  assert.deepEqual(customChanges("1h", "2026-05-01T12:00:00.000Z"), { from: "2026-05-01T11:00:00.000Z", to: "2026-05-01T12:00:00.000Z", offset: null });
  assert.deepEqual(customChanges(null, "2026-05-01T12:00:00.000Z").from, "2026-05-01T11:45:00.000Z");
  assert.deepEqual(customChanges("2026-05-01T10:00:00.000Z", null), { from: "2026-05-01T10:00:00.000Z", to: null, offset: null });
});

const rec = (offset: number, ts = "2026-05-01T11:59:00.000Z") => ({ topic: "t", partition: 0, offset: String(offset), timestamp: ts }) as EventJson;

test("the tail puts new records on top, newest first, and skips what is shown", () => {
  const shown = new Set(["t/0/10"]);
  const a = mergeTail(EMPTY_TAIL, shown, [rec(10), rec(11), rec(12)]);
  assert.deepEqual(a.rows.map((r) => r.offset), ["12", "11"]);
  const b = mergeTail(a, shown, [rec(12), rec(13)]);
  assert.deepEqual(b.rows.map((r) => r.offset), ["13", "12", "11"]);
  assert.equal(mergeTail(b, shown, [rec(13)]), b, "nothing new: the same state");
});

test("the tail stops past its bound, keeping the rows next to the loaded pages (no gap)", () => {
  const many = Array.from({ length: MAX_TAIL_ROWS + 5 }, (_, i) => rec(i));
  const t = mergeTail(EMPTY_TAIL, new Set(), many);
  assert.equal(t.overflow, true);
  assert.equal(t.rows.length, MAX_TAIL_ROWS);
  assert.equal(t.rows.at(-1)?.offset, "0");
});

test("the tail asks from the newest shown time, never from the future", () => {
  const now = Date.parse("2026-05-01T12:00:00.000Z");
  assert.equal(tailSince(EMPTY_TAIL, rec(1), "2026-05-01T11:45:00.000Z", now), "2026-05-01T11:59:00.000Z");
  assert.equal(tailSince(EMPTY_TAIL, undefined, "2026-05-01T11:45:00.000Z", now), "2026-05-01T11:45:00.000Z");
  assert.equal(tailSince({ rows: [rec(2, "2026-05-01T13:00:00.000Z")], overflow: false }, rec(1), null, now), "2026-05-01T12:00:00.000Z");
});

test("the row preview is one short line", () => {
  assert.equal(valuePreview({ valueKind: "json", value: { a: 1, b: "x\ny" }, tombstone: false, size: 10 }), '{"a":1,"b":"x\\ny"}');
  assert.equal(valuePreview({ valueKind: "text", value: "line 1\n  line 2", tombstone: false, size: 10 }), "line 1 line 2");
  assert.equal(valuePreview({ valueKind: "null", value: null, tombstone: true, size: 0 }), "(tombstone)");
  assert.equal(valuePreview({ valueKind: "binary", value: { base64: "AA==" }, tombstone: false, size: 1234 }), "(1,234 bytes, binary)");
  assert.equal(valuePreview({ valueKind: "text", value: "x".repeat(500), tombstone: false, size: 500 }).length, 161);
});
