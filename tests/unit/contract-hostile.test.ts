// Every schema a route parses with, fed hostile input: safeParse answers (success or issues) and
// never throws. A throw inside a refinement is a 500 for what is only a bad request. Found by CI:
// `from` over 64 characters failed its max check, zod kept the raw string, and the object's
// refinement ran `"at" in <string>` (seed-independent regression cases below).
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import type { z } from "zod";
import { flowmapFlowsQuery, flowmapQuery } from "../../server/contract/flowmap";
import { topicParams, topicRecordsQuery, topicsQuery } from "../../server/contract/topics";
import { dlqMessagesQuery, dlqRecordParams, dlqTopicParams, dlqTopicsQuery } from "../../server/contract/dlq";
import { auditQuery, flowQuery, flowsQuery, lagQuery, rawRecordParams, replayBody, searchQuery, setAsideQuery, signInBody } from "../../server/contract/api";

const QUERIES: Record<string, z.ZodType> = {
  flowmapQuery, flowmapFlowsQuery, topicParams, topicRecordsQuery, topicsQuery, dlqMessagesQuery, dlqRecordParams,
  dlqTopicParams, dlqTopicsQuery, auditQuery, flowQuery, flowsQuery, lagQuery, rawRecordParams, searchQuery, setAsideQuery,
};
const BODIES: Record<string, z.ZodType> = { replayBody, signInBody };

const NASTY = [
  "", "-1", "1e999", "NaN", "9223372036854775808", "99999999999999999999", "0", " 5", "0x10", "15m", "0m", "99999d", "367d", "24h",
  "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999Z", "2026-02-30T00:00:00Z", "2026-04-25T09:52:00+99:99", "+275760-09-13T00:00:00Z",
  "\u0000", "a=", "=b", "\ud800", "newest", "x".repeat(65), "x".repeat(20_000), "1".repeat(300), "__proto__", "constructor",
];
/** The parameter names every schema reads, so generated queries hit real fields, not only unknown ones. */
const NAMES = [
  "from", "to", "partition", "offset", "order", "key", "eventType", "header", "contains", "limit", "cursor", "since", "window", "type",
  "step", "topic", "group", "q", "reason", "source", "before", "after", "id", "correlationId", "page", "__proto__",
];
const value = fc.oneof(fc.constantFrom(...NASTY), fc.string({ unit: "binary", maxLength: 40 }), fc.string({ minLength: 60, maxLength: 300 }));
const query = fc.dictionary(fc.oneof(fc.constantFrom(...NAMES), fc.string({ maxLength: 8 })), value, { maxKeys: 6 });

const answers = (schema: z.ZodType, input: unknown): boolean => {
  const r = schema.safeParse(input);
  return r.success || r.error.issues.length > 0;
};

test("regression: an over-long `from` is a named 400, not a throw in the window check", () => {
  for (const q of [{ from: "x".repeat(65) }, { from: "x".repeat(20_000), to: "2026-05-01T00:00:00Z" }]) {
    const r = topicRecordsQuery.safeParse(q);
    assert.equal(r.success, false);
    assert.deepEqual(r.error!.issues[0]!.path, ["from"]);
  }
  const r = dlqMessagesQuery.safeParse({ from: "x".repeat(20_000), to: "2026-05-01T00:00:00Z" });
  assert.equal(r.success, false);
});

test("every query and params schema answers any dictionary of strings without throwing (property)", () => {
  const examples: Array<[Record<string, string>]> = [[{ from: "x".repeat(65) }], [{ from: "x".repeat(65), to: "x".repeat(65) }], [{ since: "x".repeat(65) }]];
  for (const [name, schema] of Object.entries(QUERIES)) {
    assert.doesNotThrow(() => fc.assert(fc.property(query, (q) => answers(schema, q)), { numRuns: 400, examples }), name);
  }
});

test("every body schema answers any JSON without throwing (property)", () => {
  for (const schema of Object.values(BODIES)) {
    fc.assert(fc.property(fc.jsonValue(), (v) => answers(schema, v)), { numRuns: 400 });
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom("records", "name", "password", "force", "allowTargets", "filter", "reason"), fc.jsonValue(), { maxKeys: 4 }), (v) => answers(schema, v)),
      { numRuns: 400 },
    );
  }
});
