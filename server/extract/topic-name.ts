// Dead-letter topic naming conventions: recognising a DLQ by name and guessing its source.

/**
 * Names ending in .DLT, -dlt, .dlq, -dlq, _dlq (so also .failed.dlq) or -retry-N; containing
 * dead-letter, deadletter or dead_letter; starting dlq- dlq. dlq_; or Spring Cloud Stream's error.<destination>.<group>.
 */
export const DEFAULT_DLQ_TOPIC_PATTERN = /(?:\.dlt|-dlt|\.dlq|-dlq|_dlq|-retry-\d+)$|dead[-_]?letter|^dlq[-._]|^error\..+\.[^.]+$/i;

export interface InferredSource {
  sourceTopic: string | null;
  /** The consumer group, when the name carries it (Spring Cloud Stream). */
  group: string | null;
}

const SCS_ERROR_TOPIC = /^error\.(.+)\.([^.]+)$/i;
// Named after the sink or the queue, not the source: nothing to infer.
const SOURCELESS_PREFIX = /^(?:dlq|dead[-_]?letters?(?:[-_.]queue)?)[-._]/i;
const SUFFIX =
  /(?:\.failed\.dlq|-retry(?:-\d+)?|\.dlt|-dlt|\.dlq|-dlq|_dlq|[-._]dead[-_]?letters?(?:[-_.]queue)?)$/i;

/** Source topic (and group) a dead-letter topic name points at; nulls when it does not say. */
export function inferDeadLetterSource(topic: string): InferredSource {
  const scs = SCS_ERROR_TOPIC.exec(topic);
  if (scs?.[1] !== undefined && scs[2] !== undefined) return { sourceTopic: scs[1], group: scs[2] };
  if (SOURCELESS_PREFIX.test(topic)) return { sourceTopic: null, group: null };
  const stripped = topic.replace(SUFFIX, "");
  return { sourceTopic: stripped !== topic && stripped !== "" ? stripped : null, group: null };
}

/** Tests a possibly global/sticky pattern without depending on its lastIndex. */
export function matchesTopicPattern(pattern: RegExp, topic: string): boolean {
  pattern.lastIndex = 0;
  return pattern.test(topic);
}
