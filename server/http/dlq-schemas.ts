// Input schemas of the dead-letter API; route handlers parse with them, client hooks take their types.
import { z } from "zod";

// Messages name no parameter: the route prefixes the parameter's name (see schemas.ts).

/** Kafka's own rule for topic names, so a typo is a 400 and not a silent empty page. */
const topicName = z
  .string({ error: "is required" })
  .min(1, "must not be empty")
  .max(249, "is longer than 249 characters, Kafka's limit")
  .regex(/^[a-zA-Z0-9._-]+$/, "is not a Kafka topic name (letters, digits, '.', '_' and '-' only)");

/** Matched exactly, so not trimmed: error messages can end in whitespace. */
const exact = (max: number) => z.string().min(1, "must not be empty").max(max, `is longer than ${max} characters`);

/** An integer query or path parameter in [min, max]. */
const int = (min: number, max: number) =>
  z.coerce
    .number({ error: "must be a number" })
    .int("must be an integer")
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);

const instant = z.iso.datetime({ offset: true, error: "must be an ISO 8601 date-time with a zone, e.g. 2026-04-25T09:52:00Z" });

export const dlqTopicParams = z.object({ topic: topicName });

const REPLAY_FILTERS = ["all", "replayed", "not-replayed", "failed"] as const;

export const dlqTopicsQuery = z.object({
  topic: topicName.optional(),
  reasons: int(1, 100).default(5),
});

export const dlqMessagesQuery = z
  .object({
    limit: int(1, 200).default(50),
    cursor: z.string().max(1000).optional(),
    // Error messages are stored cut at 16 KiB of UTF-8.
    reason: exact(16_384).optional(),
    errorClass: exact(512).optional(),
    from: instant.optional(),
    to: instant.optional(),
    sourceTopic: exact(512).optional(),
    replay: z.enum(REPLAY_FILTERS).default("all"),
  })
  .refine((q) => q.from === undefined || q.to === undefined || Date.parse(q.from) <= Date.parse(q.to), {
    message: "must not be later than to",
    path: ["from"],
  });

const MAX_INT64 = 2n ** 63n - 1n;

export const dlqRecordParams = z.object({
  topic: topicName,
  partition: int(0, 2_147_483_647),
  offset: z.string().refine((s) => /^\d{1,19}$/.test(s) && BigInt(s) <= MAX_INT64, "must be an integer from 0 to 2^63 - 1"),
});

export type ReplayFilter = z.infer<typeof dlqMessagesQuery>["replay"];
