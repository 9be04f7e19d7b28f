// Field schemas every API contract shares, so a topic name, an offset or a number means the same
// in each route. Messages name no parameter: parseQuery/parseParams prefix the parameter's name.
//
// zod runs a refinement even when an earlier check of the same value failed (only a type
// mismatch stops it), so every refinement here tests the shape it relies on before using it:
// `BigInt("1e999")` throws, and a throw in a schema is a 500 for what is only a bad request.
import { z } from "zod";

/** Kafka's own rule for topic names, so a typo is a 400 and not a silent empty page. */
export const topicName = z
  .string({ error: "is required" })
  .min(1, "must not be empty")
  .max(249, "is longer than 249 characters, Kafka's limit")
  .regex(/^[a-zA-Z0-9._-]+$/, "is not a Kafka topic name (letters, digits, '.', '_' and '-' only)");

/** Matched exactly, so not trimmed (error messages can end in whitespace). PostgreSQL text cannot hold NUL: no record has one. */
export const exact = (max: number) =>
  z
    .string()
    .min(1, "must not be empty")
    .max(max, `is longer than ${max} characters`)
    .refine((s) => !s.includes("\u0000"), "must not contain NUL characters");

/** An integer query or path parameter in [min, max]. */
export const int = (min: number, max: number) =>
  z.coerce
    .number({ error: "must be a number" })
    .int("must be an integer")
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);

export const partition = int(0, 2_147_483_647);

const MAX_INT64 = 2n ** 63n - 1n;
const OFFSET_HINT = "must be an integer from 0 to 2^63 - 1";

/** A Kafka offset as its decimal string: int64 does not fit a JavaScript number. */
export const kafkaOffset = z.string({ error: OFFSET_HINT }).refine((s) => /^\d{1,19}$/.test(s) && BigInt(s) <= MAX_INT64, OFFSET_HINT);

/** An offset in a JSON body: a decimal string, or a number only while it is exact (below 2^53). */
export const kafkaOffsetInBody = z.union(
  [kafkaOffset, z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).transform(String)],
  { error: `${OFFSET_HINT}, as a string (numbers past 2^53 are not exact)` },
);

const RANGE = /^(\d{1,4})(m|h|d)$/;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** A span back from now, "15m", "6h" or "7d", in ms; null when `s` is not one. */
export function rangeMs(s: string): number | null {
  const m = RANGE.exec(s);
  return m ? Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS] : null;
}
