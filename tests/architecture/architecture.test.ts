// The team's dependency rules (docs/architecture.md) as a failing test: each violation
// names the file, the import and the rule it breaks.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..", "..");

function walk(dir: string): string[] {
  const out: string[] = [];
  if (!existsSync(join(root, dir))) return out;
  for (const name of readdirSync(join(root, dir))) {
    const rel = join(dir, name);
    if (statSync(join(root, rel)).isDirectory()) out.push(...walk(rel));
    else if (/\.(ts|tsx)$/.test(name)) out.push(rel);
  }
  return out;
}

interface Import {
  spec: string;
  typeOnly: boolean;
}

/** Static and dynamic imports, re-exports and requires of a source file. */
export function importsOf(source: string): Import[] {
  const found: Import[] = [];
  const staticRe = /^\s*(import|export)\s+(type\s+)?([^"';]*?\s+from\s+)?["']([^"']+)["']/gm;
  for (const m of source.matchAll(staticRe)) found.push({ spec: m[4]!, typeOnly: Boolean(m[2]) });
  for (const m of source.matchAll(/\b(?:import|require)\(\s*["']([^"']+)["']\s*\)/g)) found.push({ spec: m[1]!, typeOnly: false });
  return found;
}

/** A repo-relative path for local imports; the package name for others. */
function target(file: string, spec: string): string {
  if (spec.startsWith("@/")) return spec.slice(2);
  if (spec.startsWith(".")) return relative(root, resolve(root, dirname(file), spec));
  return spec;
}

const appFiles = ["instrumentation.ts", ...walk("app"), ...walk("components"), ...walk("server")];
const isClient = (file: string) => /^\s*["']use client["']/.test(readFileSync(join(root, file), "utf8"));
/** Shared with the browser, so pure: the API's contract and the flow analysis. */
const isShared = (t: string) => /^server\/(contract|analysis)(\/|$)/.test(t);
const DB_DRIVERS = /^(postgres|@electric-sql\/pglite)(\/|$)|^drizzle-orm\/(postgres-js|pglite|node-postgres)|migrator$/;

interface Rule {
  name: string;
  applies(file: string): boolean;
  forbids(t: string, imp: Import): boolean;
}

const rules: Rule[] = [
  {
    name: "components/ and client code import from server/ only the pure server/contract/ and server/analysis/ (types excepted: they are erased)",
    applies: (f) => f.startsWith("components/") || /^app\/.*page\.tsx$/.test(f) || isClient(f),
    forbids: (t, imp) => !imp.typeOnly && (t === "server" || t.startsWith("server/")) && !isShared(t),
  },
  {
    name: "only server/kafka/ imports kafkajs",
    applies: (f) => !f.startsWith("server/kafka/"),
    forbids: (t) => t === "kafkajs" || t.startsWith("kafkajs/"),
  },
  {
    name: "only server/db/ imports database drivers (postgres, PGlite, drizzle drivers)",
    applies: (f) => !f.startsWith("server/db/"),
    forbids: (t) => DB_DRIVERS.test(t),
  },
  {
    name: "server/contract/ and server/analysis/ are pure: they import only zod and each other (types excepted)",
    applies: isShared,
    forbids: (t, imp) => !imp.typeOnly && t !== "zod" && !isShared(t),
  },
  {
    name: "server/extract/ is pure: it imports only server/extract/",
    applies: (f) => f.startsWith("server/extract/"),
    forbids: (t) => !t.startsWith("server/extract"),
  },
];

test("dependency rules hold", () => {
  const violations: string[] = [];
  for (const file of appFiles) {
    const source = readFileSync(join(root, file), "utf8");
    for (const imp of importsOf(source)) {
      const t = target(file, imp.spec);
      for (const rule of rules) if (rule.applies(file) && rule.forbids(t, imp)) violations.push(`${file}: imports ${imp.spec} — ${rule.name}`);
    }
  }
  assert.deepEqual(violations, []);
});

test("server/extract/, server/contract/ and server/analysis/ use no clock, environment, randomness or I/O", () => {
  const impure = /\bprocess\.|Date\.now\(|new Date\(\s*\)|Math\.random\(|\bfetch\(|\bsetTimeout\(|\bsetInterval\(|\bperformance\.now\(|\bcrypto\./;
  const violations = ["server/extract", "server/contract", "server/analysis"]
    .flatMap(walk)
    .flatMap((f) => readFileSync(join(root, f), "utf8").split("\n").map((line, i) => ({ f, line, i })))
    .filter(({ line }) => !/^\s*(\/\/|\*)/.test(line) && impure.test(line))
    .map(({ f, line, i }) => `${f}:${i + 1}: ${line.trim()}`);
  assert.deepEqual(violations, []);
});

test("server entry points that touch Kafka, the database or secrets are marked server-only", () => {
  const touches = /from\s+["'](kafkajs|postgres|@electric-sql\/pglite|drizzle-orm\/(postgres-js|pglite)[^"']*)["']|getRuntime\(|getConfig\(/;
  const unmarked = walk("server").filter((f) => {
    const src = readFileSync(join(root, f), "utf8");
    return touches.test(src) && !/^(\s*\/\/.*\n)*\s*import\s+["']server-only["']/.test(src);
  });
  assert.deepEqual(unmarked, []);
});

test("the import scanner sees the import forms it must police", () => {
  const found = importsOf(`import a from "x1";\nimport type { B } from "x2";\nexport * from "x3";\nimport "x4";\nconst m = await import("x5");\nimport {\n  c,\n} from "x6";`);
  assert.deepEqual(found.map((i) => `${i.spec}${i.typeOnly ? ":type" : ""}`).sort(), ["x1", "x2:type", "x3", "x4", "x5", "x6"]);
});
