import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  dlqTopicUrl, filterChanges, filtersFrom, filtersToParams, fromLocalInput, hasFilters, NO_FILTERS, parseRecordKey, reasonUrl, toLocalInput,
} from "../../components/dlq/url-state";
import { originText, reasonLabel, shortClass } from "../../components/dlq/dlq-format";

describe("filters in the URL", () => {
  test("read from the page's parameters; empty is unset, an unknown replay state is 'all'", () => {
    const f = filtersFrom(new URLSearchParams("reason=Deadlock%20found%20%20&errorClass=&replay=weird&from=2026-04-25T09:00:00.000Z&record=a/0/1"));
    assert.deepEqual(f, { ...NO_FILTERS, reason: "Deadlock found  ", from: "2026-04-25T09:00:00.000Z" });
  });

  test("written back with defaults left out, and trailing spaces kept (reasons match exactly)", () => {
    const f = { ...NO_FILTERS, reason: "a & b  ", replay: "failed" as const };
    assert.equal(filtersToParams(f).toString(), "reason=a+%26+b++&replay=failed");
    assert.deepEqual(filtersFrom(filtersToParams(f)), f);
    assert.equal(filtersToParams(NO_FILTERS).toString(), "");
    assert.equal(hasFilters(NO_FILTERS), false);
    assert.equal(hasFilters({ ...NO_FILTERS, replay: "replayed" }), true);
  });

  test("changes for the URL name every filter, so clearing removes each one", () => {
    assert.deepEqual(filterChanges(NO_FILTERS), { reason: null, errorClass: null, from: null, to: null, sourceTopic: null, replay: null });
    assert.equal(filterChanges({ ...NO_FILTERS, replay: "not-replayed" }).replay, "not-replayed");
  });
});

describe("datetime-local values", () => {
  test("round-trip through ISO in the local zone, to the minute", () => {
    const local = "2026-04-25T11:52";
    const iso = fromLocalInput(local);
    assert.equal(iso, new Date(2026, 3, 25, 11, 52).toISOString());
    assert.equal(toLocalInput(iso), local);
  });

  test("empty or unreadable values are no bound", () => {
    for (const v of ["", "2026-04-25", "yesterday", "2026-13-45T99:99"]) assert.equal(fromLocalInput(v), null, v);
    assert.equal(toLocalInput(null), "");
    assert.equal(toLocalInput("not a date"), "");
  });
});

test("record keys parse back into topic, partition and offset; topics may hold dots", () => {
  assert.deepEqual(parseRecordKey("payments.completed.DLT/2/9223372036854775807"), { topic: "payments.completed.DLT", partition: 2, offset: "9223372036854775807" });
  for (const bad of ["", "topic", "topic/1", "topic/x/1", "/1/2"]) assert.equal(parseRecordKey(bad), null, bad);
});

test("reason links filter by message, else by class, else not at all", () => {
  assert.equal(reasonUrl("a.DLT", { errorClass: "X", errorMessage: "m & n" }), "/dlq/a.DLT?reason=m+%26+n");
  assert.equal(reasonUrl("a.DLT", { errorClass: "com.X", errorMessage: null }), "/dlq/a.DLT?errorClass=com.X");
  assert.equal(reasonUrl("a.DLT", { errorClass: null, errorMessage: null }), "/dlq/a.DLT");
  assert.equal(dlqTopicUrl("a.DLT"), "/dlq/a.DLT");
});

test("reason labels: short class, message, cut to fit", () => {
  assert.equal(shortClass("com.shop.InsufficientStockException"), "InsufficientStockException");
  assert.equal(shortClass("NoPackage"), "NoPackage");
  assert.equal(shortClass("trailing."), "trailing.");
  assert.equal(reasonLabel({ errorClass: "a.B", errorMessage: "boom", count: 3 }), "3× B: boom");
  assert.equal(reasonLabel({ errorClass: null, errorMessage: "x".repeat(200), count: 1 }), `1× ${"x".repeat(87)}…`);
});

test("the failed record's position: whole, topic only when just the name tells, or nothing", () => {
  assert.equal(originText({ sourceTopic: "payments", sourcePartition: 2, sourceOffset: "48" }), "payments/2/48");
  assert.equal(originText({ sourceTopic: "payments", sourcePartition: 0, sourceOffset: null }), "payments/0/?");
  assert.equal(originText({ sourceTopic: "payments", sourcePartition: null, sourceOffset: null }), "payments");
  assert.equal(originText({ sourceTopic: null, sourcePartition: null, sourceOffset: null }), null);
  assert.equal(originText(null), null);
});
