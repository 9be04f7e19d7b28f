import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { BadCursorError } from "../../server/flows/list-recent-flows";
import { decodeCursor, encodeCursor, fingerprint, type CursorState } from "../../server/topics/cursor";

const shape = fingerprint(["time", "newest", null, null, "k1", null, null, null]);
const time: CursorState = { fingerprint: shape, window: { from: "2026-04-25T09:37:39.340Z", to: "2026-04-25T09:52:39.340Z" }, at: { ts: "2026-04-25T09:50:00.000Z", partition: 7, offset: "9223372036854775807" } };
const offsetMode: CursorState = { fingerprint: shape, window: null, at: { ts: null, partition: 0, offset: "42" } };

test("a cursor round-trips, in either mode, and is URL-safe", () => {
  for (const c of [time, offsetMode]) {
    const s = encodeCursor(c);
    assert.match(s, /^[A-Za-z0-9_-]+$/);
    assert.deepEqual(decodeCursor(s, shape), c);
  }
});

test("a cursor given out for another order, partition or filters is refused", () => {
  const other = fingerprint(["time", "oldest", null, null, "k1", null, null, null]);
  assert.notEqual(other, shape);
  assert.throws(() => decodeCursor(encodeCursor(time), other), (e: unknown) => e instanceof BadCursorError && /^cursor: was given out for another order/.test(e.message));
});

test("anything else is a BadCursorError naming the parameter", () => {
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
  const { from, to } = time.window!;
  const bad = [
    "",
    "not a cursor",
    b64([1, shape, from, to, time.at.ts, 7]),
    b64([2, shape, from, to, time.at.ts, 7, "5"]),
    b64([1, shape, "yesterday", to, time.at.ts, 7, "5"]),
    b64([1, shape, from, null, time.at.ts, 7, "5"]),
    // A time-mode window with an offset-mode position, and the reverse.
    b64([1, shape, from, to, null, 7, "5"]),
    b64([1, shape, null, null, time.at.ts, 7, "5"]),
    b64([1, shape, from, to, time.at.ts, -1, "5"]),
    b64([1, shape, from, to, time.at.ts, 2 ** 31, "5"]),
    b64([1, shape, from, to, time.at.ts, 1.5, "5"]),
    b64([1, shape, from, to, time.at.ts, 7, 5]),
    b64([1, shape, from, to, time.at.ts, 7, "5; DROP TABLE events"]),
    b64([1, shape, from, to, time.at.ts, 7, "9223372036854775808"]),
    b64({ v: 1 }),
  ];
  for (const c of bad) assert.throws(() => decodeCursor(c, shape), (e: unknown) => e instanceof BadCursorError && /^cursor: not a cursor/.test(e.message), c);
});

test("no string decodes to anything but a cursor or a BadCursorError (property)", () => {
  fc.assert(
    fc.property(fc.oneof(fc.string({ unit: "binary" }), fc.json().map((j) => Buffer.from(j).toString("base64url"))), (s) => {
      try {
        decodeCursor(s, shape);
      } catch (e) {
        assert.ok(e instanceof BadCursorError);
      }
    }),
  );
});
