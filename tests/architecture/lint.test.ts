// Promise safety as a failing test: the type-aware ESLint rules of eslint.config.mjs
// (no-floating-promises, no-misused-promises, consistent-type-imports) over the whole repo.
// Each finding is listed as `file:line rule message`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { relative, resolve } from "node:path";
import { ESLint } from "eslint";

const root = resolve(import.meta.dirname, "..", "..");

test("type-aware lint: promises are awaited or handled", async () => {
  const started = Date.now();
  const eslint = new ESLint({ cwd: root, errorOnUnmatchedPattern: false });
  const results = await eslint.lintFiles(["."]);
  const findings = results.flatMap((r) =>
    r.messages.map((m) => `${relative(root, r.filePath)}:${m.line} ${m.ruleId ?? (m.fatal ? "parse-error" : "eslint")} ${m.message}`),
  );
  console.log(`linted ${results.length} files in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  assert.deepEqual(findings, []);
});
