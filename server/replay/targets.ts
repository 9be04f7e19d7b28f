// Which topics a replay may write to. A dead-letter record names its own target in headers
// any producer can set, so the target is checked against a limit the operator configured:
// FLOWTAP_REPLAY_TARGETS, or by default the topics the tap watches minus internal topics
// (`_…`, so `_schemas` and `__consumer_offsets`; Kafka Connect's config/offsets/status topics)
// and dead-letter topics. Outside the limit a record is refused unless the request names its
// target topic in `allowTargets` — by exact name: `force` alone is not enough.
import type { Config } from "../config";
import { matchesTopicPattern } from "../extract/topic-name";

export interface ReplayTargets {
  /** FLOWTAP_REPLAY_TARGETS when set: it alone decides. */
  explicit: RegExp | null;
  /** The tap's FLOWTAP_TOPICS_INCLUDE. */
  include: RegExp;
  /** The extractor's dead-letter topic pattern. */
  deadLetter: RegExp;
}

// `_schemas`, `__consumer_offsets`, `__transaction_state`; Connect's `connect-configs`,
// `connect-offsets`, `connect-status` and the prefixed names clusters give them.
const INTERNAL = /^_|^connect-|[-_.]connect-(configs|offsets|status)$/;

export function replayTargets(config: Pick<Config, "replayTargets" | "topicsInclude" | "extract">): ReplayTargets {
  return { explicit: config.replayTargets, include: config.topicsInclude, deadLetter: config.extract.dlqTopicPattern };
}

/** Why a replay must not write to `topic`, or null when it may. */
export function targetRefusal(t: ReplayTargets, topic: string, allowTargets: readonly string[] = []): string | null {
  if (allowTargets.includes(topic)) return null;
  const how = `; name it in allowTargets to replay there anyway`;
  if (t.explicit) return matchesTopicPattern(t.explicit, topic) ? null : `${topic} is outside FLOWTAP_REPLAY_TARGETS (${t.explicit.source})${how}`;
  if (INTERNAL.test(topic)) return `${topic} is an internal topic (a _-topic or Kafka Connect's configs/offsets/status)${how}`;
  if (matchesTopicPattern(t.deadLetter, topic)) return `${topic} is a dead-letter topic${how}`;
  if (!matchesTopicPattern(t.include, topic)) return `${topic} is not a topic Flowtap watches (FLOWTAP_TOPICS_INCLUDE ${t.include.source})${how}`;
  return null;
}
