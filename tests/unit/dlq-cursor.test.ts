import assert from "node:assert/strict";
import { test } from "node:test";
import { decodeCursor, encodeCursor } from "../../server/dlq/cursor";
import { BadCursorError } from "../../server/flows/list-recent-flows";

test("a cursor round-trips and is URL-safe", () => {
  const at = { ts: "2026-04-25T09:52:39.340Z", partition: 7, offset: "9223372036854775807" };
  const c = encodeCursor(at);
  assert.match(c, /^[A-Za-z0-9_-]+$/);
  assert.deepEqual(decodeCursor(c), at);
});

test("anything else is a BadCursorError naming the parameter", () => {
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
  const bad = [
    "not a cursor",
    "",
    b64(["2026-04-25T09:52:39.340Z", 1]),
    b64(["yesterday", 1, "5"]),
    b64(["2026-04-25T09:52:39.340Z", -1, "5"]),
    b64(["2026-04-25T09:52:39.340Z", 1.5, "5"]),
    b64(["2026-04-25T09:52:39.340Z", 1, 5]),
    b64(["2026-04-25T09:52:39.340Z", 1, "5; DROP TABLE events"]),
    b64(["2026-04-25T09:52:39.340Z", 1, "12345678901234567890"]),
    b64({ ts: "2026-04-25T09:52:39.340Z", partition: 1, offset: "5" }),
  ];
  for (const c of bad) assert.throws(() => decodeCursor(c), (e: unknown) => e instanceof BadCursorError && /^cursor: /.test(e.message), c);
});
