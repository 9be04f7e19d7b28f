import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { defaultExtractConfig, extractRecord, type ExtractedRecord } from "../../server/extract";
import { fixtureToRawRecord, loadFixtures } from "./fixture-record";

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, "../..");
const sources = [
  { label: "tests/fixtures", path: resolve(repoRoot, "tests/fixtures/records.json") },
  { label: "shared/fixtures", path: resolve(repoRoot, "../shared/fixtures/records.json") },
].filter((s, i) => i === 0 || existsSync(s.path));

// A sample record, only to know which field names an expectation may name.
const FIELDS = new Set(Object.keys(extractRecord(
  { topic: "t", partition: 0, offset: "0", timestamp: "0", key: null, headers: {}, value: null },
  defaultExtractConfig(),
)));

function checkExpectation(out: ExtractedRecord, field: string, expected: unknown): void {
  if (field === "valueIsBinary") {
    assert.equal(out.valueKind === "binary", expected, `valueKind is ${out.valueKind}`);
  } else if (field === "dlq" && expected !== null) {
    assert.ok(out.dlq !== null, "expected a dead-letter origin, got none");
    for (const [k, v] of Object.entries(expected as Record<string, unknown>)) {
      assert.deepEqual((out.dlq as unknown as Record<string, unknown>)[k], v, `dlq.${k}`);
    }
  } else {
    assert.ok(FIELDS.has(field), `fixture expects unknown field "${field}"`);
    assert.deepEqual((out as unknown as Record<string, unknown>)[field], expected, field);
  }
}

for (const source of sources) {
  describe(`fixtures from ${source.label}`, () => {
    const fixtures = loadFixtures(source.path);
    test("file has fixtures", () => assert.ok(fixtures.length > 0));
    for (const fixture of fixtures) {
      test(fixture.name, () => {
        const out = extractRecord(fixtureToRawRecord(fixture.record), defaultExtractConfig());
        const entries = Object.entries(fixture.expect);
        assert.ok(entries.length > 0, "fixture has no expectations");
        for (const [field, expected] of entries) checkExpectation(out, field, expected);
      });
    }
  });
}
