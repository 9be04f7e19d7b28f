import "server-only";
// The dead-letter API's message: the flows API's Event plus where its replays stand, from
// the replay ledger. Shared by the list and the single-record lookup.
import { sql } from "drizzle-orm";
import { isoTs } from "../db/sql";
import { EVENT_COLUMNS, toEventJson, type EventJson, type EventRow } from "../flows/event-json";

/** The latest replay attempt of a dead letter. */
export interface ReplayState {
  /** The ledger's status of that attempt: "pending", "replayed" or "failed". */
  status: string;
  replayId: string;
  /** When that attempt settled; when it was requested while it is still pending. */
  replayedAt: string;
  targetTopic: string | null;
  targetPartition: number | null;
  targetOffset: string | null;
  /** Why that attempt failed. */
  error: string | null;
  /** How many times the record was replayed successfully, all attempts together. */
  count: number;
}

/**
 * A dead letter that is itself a replayed record which failed again: the earlier dead letter it
 * was replayed from ("topic/partition/offset", from x-flowtap-replay-of) and its cycle count.
 */
export interface ReplayOrigin {
  of: string;
  cycle: number | null;
}

export type DeadLetterMessage = EventJson & { replay: ReplayState | null; replayOf: ReplayOrigin | null };

function replayOrigin(headers: EventJson["headers"]): ReplayOrigin | null {
  const text = (name: string) => {
    const hit = Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1];
    return typeof hit === "string" ? hit : null;
  };
  const of = text("x-flowtap-replay-of");
  if (!of) return null;
  const cycle = Number(text("x-flowtap-replay-count"));
  return { of, cycle: Number.isInteger(cycle) && cycle > 0 ? cycle : null };
}

type ReplayRow = {
  replay_id: string | null;
  replay_status: string | null;
  replayed_at: string | null;
  target_topic: string | null;
  target_partition: number | null;
  target_offset: string | null;
  replay_error: string | null;
  replay_count: number | null;
};

export type DeadLetterRow = EventRow & ReplayRow;

/**
 * `FROM events` with the record's latest ledger attempt as `r` (null columns when it was never
 * replayed). The ledger's unique index on (dlq_topic, dlq_partition, dlq_offset, attempt)
 * answers both lookups.
 */
export const DEAD_LETTER_FROM = sql`events LEFT JOIN LATERAL (
    SELECT l.replay_id, l.status AS replay_status, ${isoTs(sql`coalesce(l.settled_at, l.requested_at)`)} AS replayed_at,
           l.target_topic, l.target_partition, l.target_offset::text AS target_offset, l.error AS replay_error,
           (SELECT count(*)::int FROM replays c
             WHERE c.dlq_topic = l.dlq_topic AND c.dlq_partition = l.dlq_partition AND c.dlq_offset = l.dlq_offset
               AND c.status = 'replayed') AS replay_count
    FROM replays l
    WHERE l.dlq_topic = events.topic AND l.dlq_partition = events.partition AND l.dlq_offset = events."offset"
    ORDER BY l.attempt DESC LIMIT 1
  ) r ON true`;

export const DEAD_LETTER_COLUMNS = sql`${EVENT_COLUMNS}, r.replay_id, r.replay_status, r.replayed_at, r.target_topic,
  r.target_partition, r.target_offset, r.replay_error, r.replay_count`;

const STACKTRACE_HEADER = /stack-?trace$/i;

/**
 * The headers without the one that carries the stack trace (Spring's
 * kafka_dlt-exception-stacktrace, Connect's __connect.errors.exception.stacktrace, …): it is
 * often the largest part of a dead letter and comes on demand, with the single record.
 */
export function withoutStacktraceHeaders(e: EventJson): EventJson {
  if (!e.dlq?.hasStacktrace) return e;
  const headers = Object.fromEntries(Object.entries(e.headers).filter(([name]) => !STACKTRACE_HEADER.test(name)));
  return { ...e, headers };
}

export function toDeadLetterMessage(r: DeadLetterRow): DeadLetterMessage {
  const replay: ReplayState | null =
    r.replay_id === null || r.replay_status === null || r.replayed_at === null
      ? null
      : {
          status: r.replay_status,
          replayId: r.replay_id,
          replayedAt: r.replayed_at,
          targetTopic: r.target_topic,
          targetPartition: r.target_partition,
          targetOffset: r.target_offset,
          error: r.replay_error,
          count: r.replay_count ?? 0,
        };
  const event = toEventJson(r);
  return { ...withoutStacktraceHeaders(event), replay, replayOf: replayOrigin(event.headers) };
}
