// The dead-letter API's input schemas; route handlers parse with them, client hooks take their types.
import { z } from "zod";
import { exact, int, kafkaOffset, partition, topicName } from "./fields";

// Messages name no parameter: parseQuery/parseParams prefix the parameter's name.

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

export const dlqRecordParams = z.object({
  topic: topicName,
  partition,
  offset: kafkaOffset,
});

export type ReplayFilter = z.infer<typeof dlqMessagesQuery>["replay"];
