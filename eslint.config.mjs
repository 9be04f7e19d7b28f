// Type-aware promise-safety lint, run by tests/architecture/lint.test.ts (`npm test -- architecture`).
// Only these rules, deliberately: a dropped promise in long-running code (the tap, the lag
// poller, retention) is a silent failure or an unhandled rejection that kills the process.
import { defineConfig } from "eslint/config";
import tseslint from "typescript-eslint";

export default defineConfig(
  {
    ignores: ["node_modules/**", ".next/**", ".flowtap/**", "drizzle/**", "tmp/**", "next-env.d.ts"],
  },
  {
    files: ["**/*.ts", "**/*.tsx"],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { "@typescript-eslint": tseslint.plugin },
    rules: {
      // node:test's test()/describe() return promises the runner tracks itself (a rejection is a
      // failed test), so calling them without await at top level is safe.
      "@typescript-eslint/no-floating-promises": [
        "error",
        { allowForKnownSafeCalls: [{ from: "package", package: "node:test", name: ["test", "it", "describe", "suite", "before", "after", "beforeEach", "afterEach"] }] },
      ],
      "@typescript-eslint/no-misused-promises": "error",
      // STYLE: type-only imports. `typeof import("…")` annotations stay allowed: tests use them to
      // type modules they load with a dynamic import() after setting the environment, and they
      // are erased like `import type`.
      "@typescript-eslint/consistent-type-imports": ["error", { disallowTypeAnnotations: false }],
    },
  },
);
