// safeNext: where the sign-in page sends the browser afterwards. Whatever the `next`
// parameter holds, the browser must stay on Flowtap's origin.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { safeNext } from "../../components/auth/session-api";

const ORIGIN = "http://127.0.0.1:3000";
/** Where the browser lands: location.assign resolves against the page's URL, as here. */
const lands = (next: string | null) => new URL(safeNext(next, ORIGIN), `${ORIGIN}/signin?next=x`);

const HOSTILE = [
  "/\\evil.com",
  "\\\\evil.com",
  "/\\/evil.com",
  "//evil.com",
  "/\t/evil.com",
  "/\n/evil.com",
  " //evil.com",
  "https://evil.com",
  "http:evil.com",
  "javascript:alert(1)",
  "data:text/html,x",
  "/.//evil.com",
  "\\/evil.com",
  "///evil.com",
  "/%5Cevil.com",
];

test("hostile next parameters stay on the origin", () => {
  for (const next of HOSTILE) {
    const url = lands(next);
    assert.equal(url.origin, ORIGIN, `${JSON.stringify(next)} → ${url.href}`);
  }
  assert.equal(lands("/\\evil.com").href, `${ORIGIN}/`);
});

test("same-site paths are kept, with their query and fragment", () => {
  assert.equal(lands("/flows/abc?x=1#e3").href, `${ORIGIN}/flows/abc?x=1#e3`);
  assert.equal(lands(null).href, `${ORIGIN}/`);
  assert.equal(lands("").href, `${ORIGIN}/`);
});

// Strings built from the characters that URL parsing treats specially.
const piece = fc.constantFrom("/", "\\", "//", "\\\\", ":", "@", "%2f", "%5c", "\t", "\n", "\r", " ", "\u0000", "\u3002", "\uff0f", ".", "..", "?", "#", "evil.com", "http", "https", "javascript", "127.0.0.1:3000", "x");
const hostile = fc.oneof(fc.string(), fc.array(piece, { maxLength: 12 }).map((a) => a.join("")), fc.webUrl());

test("property: whatever next holds, the browser lands on the origin", () => {
  fc.assert(
    fc.property(hostile, (next) => {
      assert.equal(lands(next).origin, ORIGIN);
    }),
    { numRuns: 5000 },
  );
});

test("property: a plain path is kept as it is", () => {
  const segment = fc.stringMatching(/^[a-zA-Z0-9._~-]{1,12}$/).filter((s) => s !== "." && s !== "..");
  fc.assert(
    fc.property(fc.array(segment, { minLength: 1, maxLength: 5 }), (segments) => {
      const path = `/${segments.join("/")}`;
      assert.equal(lands(path).href, `${ORIGIN}${path}`);
    }),
  );
});
