// The topic browser's query contract and window arithmetic: what a request means before any SQL.
import assert from "node:assert/strict";
import { test } from "node:test";
import { topicRecordsQuery } from "../../server/contract/topics";
import { resolveWindow, retentionNote } from "../../server/topics/record-window";

const NOW = Date.parse("2026-05-01T12:00:00.000Z");
const parse = (q: Record<string, string>) => topicRecordsQuery.safeParse(q);
const issue = (q: Record<string, string>) => {
  const r = parse(q);
  return r.success ? null : `${r.error.issues[0]!.path.join(".")}: ${r.error.issues[0]!.message}`;
};

test("defaults: the last 15 minutes, newest first, 50 a page", () => {
  const q = topicRecordsQuery.parse({});
  assert.deepEqual(q, { order: "newest", limit: 50 });
  assert.deepEqual(resolveWindow(q, NOW), { from: "2026-05-01T11:45:00.000Z", to: "2026-05-01T12:00:00.000Z" });
});

test("from is an instant or a span back from to (itself now by default)", () => {
  const cases: Array<[Record<string, string>, string, string]> = [
    [{ from: "1h" }, "2026-05-01T11:00:00.000Z", "2026-05-01T12:00:00.000Z"],
    [{ from: "90s" }, "2026-05-01T11:58:30.000Z", "2026-05-01T12:00:00.000Z"],
    [{ from: "15m", to: "2026-05-01T10:00:00+02:00" }, "2026-05-01T07:45:00.000Z", "2026-05-01T08:00:00.000Z"],
    [{ to: "2026-05-01T10:00:00Z" }, "2026-05-01T09:45:00.000Z", "2026-05-01T10:00:00.000Z"],
    [{ from: "2026-05-01T09:00:00.5Z", to: "2026-05-01T09:30:00Z" }, "2026-05-01T09:00:00.500Z", "2026-05-01T09:30:00.000Z"],
    // Nothing is older than 1970 in the index (the extractor clamps): the window is clamped too.
    [{ from: "0001-01-01T00:00:00Z", to: "1969-01-01T00:00:00Z" }, "1970-01-01T00:00:00.000Z", "1970-01-01T00:00:00.000Z"],
  ];
  for (const [q, from, to] of cases) assert.deepEqual(resolveWindow(topicRecordsQuery.parse(q), NOW), { from, to }, JSON.stringify(q));
});

test("every malformed parameter is named, and none is echoed", () => {
  const cases: Array<[Record<string, string>, RegExp]> = [
    [{ from: "yesterday" }, /^from: must be an ISO 8601 date-time with a zone/],
    [{ from: "0m" }, /^from: /],
    [{ from: "367d" }, /^from: /],
    [{ from: "2026-05-01T09:00:00" }, /^from: /],
    [{ to: "2026-02-30T00:00:00Z" }, /^to: must be an ISO 8601/],
    [{ from: "2026-05-02T00:00:00Z", to: "2026-05-01T00:00:00Z" }, /^from: must not be later than to/],
    [{ offset: "3" }, /^offset: needs a partition/],
    [{ partition: "1", offset: "3", to: "2026-05-01T00:00:00Z" }, /^offset: browses from an offset/],
    [{ partition: "1", offset: "03x" }, /^offset: must be an integer/],
    [{ partition: "2147483648" }, /^partition: must be at most/],
    [{ limit: "501" }, /^limit: must be at most 500/],
    [{ order: "up" }, /^order: must be newest or oldest/],
    [{ header: "=v" }, /^header: must be name=value/],
    [{ contains: "a\u0000b" }, /^contains: must not contain NUL/],
    [{ contains: "x".repeat(1001) }, /^contains: is longer than 1000/],
  ];
  for (const [q, message] of cases) {
    const got = issue(q);
    assert.match(got ?? "accepted", message, JSON.stringify(q));
    for (const v of Object.values(q)) if (v.length > 4) assert.ok(!got!.includes(v), got!);
  }
});

test("header splits at the first '=', empty parameters are absent ones", () => {
  assert.deepEqual(topicRecordsQuery.parse({ header: "traceparent=00-ab=cd" }).header, { name: "traceparent", value: "00-ab=cd" });
  assert.deepEqual(topicRecordsQuery.parse({ header: "x-empty=" }).header, { name: "x-empty", value: "" });
  assert.deepEqual(topicRecordsQuery.parse({ partition: "", offset: "", from: "", limit: "" }), { order: "newest", limit: 50 });
});

test("the retention note appears only for a range that starts before what the index holds", () => {
  const extent = { oldest: "2026-04-24T12:00:00.000Z", oldestOffset: "1000" };
  assert.equal(retentionNote(extent, { from: "2026-04-24T12:00:00.000Z" }), undefined);
  assert.deepEqual(retentionNote(extent, { from: "2026-04-20T00:00:00.000Z" })?.oldestIndexed, extent.oldest);
  assert.equal(retentionNote(extent, { offset: "1000" }), undefined);
  assert.match(retentionNote(extent, { offset: "999" })?.message ?? "", /from offset 1000 on/);
  assert.equal(retentionNote({ oldest: null, oldestOffset: null }, { from: "1970-01-01T00:00:00.000Z" }), undefined);
});
