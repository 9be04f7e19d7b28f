// Input schemas of the HTTP API; route handlers parse with them, client hooks take their types.
import { z } from "zod";
import { kafkaOffset, kafkaOffsetInBody, partition, rangeMs, topicName } from "./fields";

// Messages name no parameter: the route prefixes the parameter's name.
const text = (max: number) =>
  z
    .string({ error: "is required" })
    .transform((s) => s.trim())
    .pipe(z.string().min(1, "must not be empty").max(max, `is longer than ${max} characters`));

export const searchQuery = z.object({ q: text(10_000) });

export const flowsQuery = z.object({
  limit: z.coerce.number({ error: "limit must be a number" }).int().min(1).max(500).default(50),
  before: z.string().max(1000).optional(),
  status: z.enum(["all", "dlq", "stuck", "completed", "open"]).default("all"),
});

export const correlationIdParam = text(10_000);

/** GET /api/flows/{id}: both optional, so a plain request answers as it always did. */
export const flowQuery = z.object({
  after: z.string().max(1000).optional(),
  limit: z.coerce.number({ error: "must be a number" }).int().min(1).max(10_000).optional(),
});

export type SearchQuery = z.infer<typeof searchQuery>;
export type FlowsQuery = z.infer<typeof flowsQuery>;

/** One request replays at most this many records; the UI sends bulk replays in chunks of it. */
export const MAX_REPLAY_RECORDS = 1000;

export const replayBody = z.object({
  records: z
    .array(
      z.object({
        topic: topicName,
        partition: z.number().int().min(0).max(2 ** 31 - 1),
        offset: kafkaOffsetInBody,
      }),
    )
    .min(1, "must name at least one record")
    .max(MAX_REPLAY_RECORDS, `at most ${MAX_REPLAY_RECORDS} records per request: send more in chunks`),
  force: z.boolean().default(false),
  dryRun: z.boolean().default(false),
  /** Target topics replayed to although outside FLOWTAP_REPLAY_TARGETS: named exactly, never a pattern. */
  allowTargets: z.array(topicName).max(100).default([]),
});

export const signInBody = z.object({ name: z.string().min(1).max(100), password: z.string().min(1).max(1000) });

export const auditQuery = z.object({
  limit: z.coerce.number({ error: "must be a number" }).int().min(1).max(500).default(100),
  before: z.coerce.number().int().positive().optional(),
});

export type ReplayBody = z.infer<typeof replayBody>;

/** Lag history reaches back 30 days at most (the rollups' retention). */
const MAX_LAG_SINCE_MS = 30 * 86_400_000;
export const LAG_SINCE_HINT = "must be a range like 15m, 6h, 7d (at most 30d) or an ISO time in the last 30 days";

/** A range back from now, or an instant; the route resolves it against its clock (lagSinceMs). */
export type LagSince = { range: number } | { at: number };

/** `since`: a range back from now (15m, 1h, 7d) or an ISO 8601 instant; at most 30 days back. */
export const lagQuery = z.object({
  group: z.string().min(1).max(255).optional(),
  since: z
    .string()
    .max(64, LAG_SINCE_HINT)
    .default("1h")
    .transform((s, ctx): LagSince => {
      const range = rangeMs(s);
      if (range !== null && range > 0 && range <= MAX_LAG_SINCE_MS) return { range };
      const at = range === null ? Date.parse(s) : NaN;
      if (!Number.isNaN(at)) return { at };
      ctx.addIssue({ code: "custom", message: LAG_SINCE_HINT });
      return z.NEVER;
    }),
});

/** The start of the lag window in ms, or null when an instant lies in the future or past 30 days. */
export function lagSinceMs(since: LagSince, nowMs: number): number | null {
  if ("range" in since) return nowMs - since.range;
  return since.at < nowMs && nowMs - since.at <= MAX_LAG_SINCE_MS ? since.at : null;
}

export const setAsideQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(200) });

export const rawRecordParams = z.object({
  topic: topicName,
  partition,
  offset: kafkaOffset,
});
