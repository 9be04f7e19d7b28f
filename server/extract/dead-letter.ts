import { bigEndianInt, decimalInt, isAsciiDigits } from "./bytes";
import { headerText, type HeaderEntry, type HeaderIndex } from "./headers";
import { capChars, capUtf8 } from "./sanitize";
import { isoFromMillis } from "./time";
import { inferDeadLetterSource, matchesTopicPattern } from "./topic-name";
import type { DeadLetterOrigin, ExtractConfig } from "./types";

/**
 * How a family writes integers: "binary" = 4/8-byte big-endian (decimal text tolerated),
 * "vary" = 1–8 byte big-endian or decimal text, "text" = decimal text only.
 */
type IntEncoding = "binary" | "vary" | "text";

interface Family {
  family: string;
  /** Any of these present (lowercase) means the family matches. */
  markers: readonly string[];
  topic?: string;
  partition?: string;
  offset?: string;
  timestamp?: string;
  ints: IntEncoding;
  /** First present wins: the cause says more than the wrapper Spring puts around it. */
  errorClass: readonly string[];
  message?: string;
  stacktrace?: string;
  group?: string;
  groupPrefix?: string;
}

const FAMILIES: readonly Family[] = [
  {
    family: "spring-dlt", markers: ["kafka_dlt-original-topic"], topic: "kafka_dlt-original-topic",
    partition: "kafka_dlt-original-partition", offset: "kafka_dlt-original-offset",
    timestamp: "kafka_dlt-original-timestamp", ints: "binary",
    errorClass: ["kafka_dlt-exception-cause-fqcn", "kafka_dlt-exception-fqcn"],
    message: "kafka_dlt-exception-message", stacktrace: "kafka_dlt-exception-stacktrace",
    group: "kafka_dlt-original-consumer-group",
  },
  {
    family: "spring-retry", markers: ["kafka_original-topic"], topic: "kafka_original-topic",
    partition: "kafka_original-partition", offset: "kafka_original-offset", ints: "vary",
    errorClass: ["kafka_exception-cause-fqcn", "kafka_exception-fqcn"],
    message: "kafka_exception-message", stacktrace: "kafka_exception-stacktrace",
    // Spring Kafka 4.x (seen with 4.1.2) writes the failed group under the DLT name on retry topics too.
    group: "kafka_dlt-original-consumer-group",
  },
  {
    family: "scs", markers: ["x-original-topic"], topic: "x-original-topic",
    partition: "x-original-partition", offset: "x-original-offset", ints: "binary",
    errorClass: ["x-exception-fqcn"], message: "x-exception-message", stacktrace: "x-exception-stacktrace",
  },
  {
    family: "connect", markers: ["__connect.errors.topic"], topic: "__connect.errors.topic",
    partition: "__connect.errors.partition", offset: "__connect.errors.offset", ints: "text",
    errorClass: ["__connect.errors.exception.class.name"], message: "__connect.errors.exception.message",
    stacktrace: "__connect.errors.exception.stacktrace",
    // A sink connector consumes as group "connect-<name>".
    group: "__connect.errors.connector.name", groupPrefix: "connect-",
  },
  {
    family: "streams", markers: ["__streams.errors.topic"], topic: "__streams.errors.topic",
    partition: "__streams.errors.partition", offset: "__streams.errors.offset", ints: "text",
    errorClass: ["__streams.errors.exception"], message: "__streams.errors.message",
    stacktrace: "__streams.errors.stacktrace",
  },
  {
    family: "karafka", markers: ["source_topic"], topic: "source_topic",
    partition: "source_partition", offset: "source_offset", ints: "text",
    errorClass: [], group: "source_consumer_group",
  },
  {
    // No origin headers: the source comes from the topic name.
    family: "laravel", markers: ["kafka_throwable_message", "kafka_throwable_class_name", "kafka_throwable_code"],
    ints: "text", errorClass: ["kafka_throwable_class_name"], message: "kafka_throwable_message",
  },
];

const TEXT_CAP_BYTES = 16 * 1024;
const MAX_INT32 = 2147483647n;
const MAX_INT64 = 9223372036854775807n;

/** An integer header in the family's encoding; null when absent or undecodable. */
function headerInt(entry: HeaderEntry | undefined, encoding: IntEncoding): bigint | null {
  if (entry === undefined) return null;
  if (typeof entry.raw === "string") return decimalInt(entry.raw);
  const bytes = entry.raw;
  if (encoding === "text") return entry.text === null ? null : decimalInt(entry.text);
  if (encoding === "binary") {
    if (bytes.length === 4 || bytes.length === 8) return bigEndianInt(bytes);
    return entry.text === null ? null : decimalInt(entry.text);
  }
  // A 1-byte 0x31 is ambiguous; the decimal reading wins, as a producer writing text is the likelier case.
  return isAsciiDigits(bytes) ? decimalInt(entry.text ?? "") : bigEndianInt(bytes);
}

/**
 * A header number in [0, max], or null. A value outside is legal in a header but not in the
 * index's column (a 20-digit offset once stopped the whole index): it is dropped and said so.
 */
function inRange(v: bigint | null, max: bigint, what: string, anomalies: string[]): bigint | null {
  if (v === null) return null;
  if (v >= 0n && v <= max) return v;
  anomalies.push(`dead-letter ${what} ${v} is out of range (0 to ${max}); not kept`);
  return null;
}

function millis(v: bigint | null): string | null {
  return v === null || v > BigInt(Number.MAX_SAFE_INTEGER) ? null : isoFromMillis(Number(v));
}

/** The record's dead-letter origin, or null; numbers that cannot be kept are reported in `anomalies`. */
export function findDeadLetter(
  topic: string, headers: HeaderIndex, config: ExtractConfig, anomalies: string[] = [],
): DeadLetterOrigin | null {
  const family = FAMILIES.find((f) => f.markers.some((m) => headers.byName.has(m)));
  if (family === undefined && !matchesTopicPattern(config.dlqTopicPattern, topic)) return null;
  const inferred = inferDeadLetterSource(topic);
  const id = (s: string | null): string | null => (s === null ? null : capChars(s, config.idMaxChars));
  const long = (s: string | null): string | null => (s === null ? null : capUtf8(s, TEXT_CAP_BYTES));
  const text = (name: string | undefined): string | null => (name === undefined ? null : headerText(headers, name));
  const int = (name: string | undefined, encoding: IntEncoding): bigint | null =>
    name === undefined ? null : headerInt(headers.byName.get(name), encoding);
  if (family === undefined) {
    return {
      family: "name", sourceTopic: id(inferred.sourceTopic), sourcePartition: null, sourceOffset: null,
      sourceTimestamp: null, errorClass: null, errorMessage: null, stacktrace: null,
      failedGroup: id(inferred.group), attempts: null,
    };
  }
  const group = text(family.group);
  const errorClass = family.errorClass.map(text).find((c) => c !== null) ?? null;
  const partition = inRange(int(family.partition, family.ints), MAX_INT32, "partition", anomalies);
  const offset = inRange(int(family.offset, family.ints), MAX_INT64, "offset", anomalies);
  const attempts = inRange(int("retry_topic-attempts", "vary"), MAX_INT32, "attempts", anomalies);
  return {
    family: family.family,
    sourceTopic: id(text(family.topic) ?? inferred.sourceTopic),
    sourcePartition: partition === null ? null : Number(partition),
    sourceOffset: offset === null ? null : offset.toString(),
    sourceTimestamp: millis(int(family.timestamp, family.ints)),
    errorClass: id(errorClass),
    errorMessage: long(text(family.message)),
    stacktrace: long(text(family.stacktrace)),
    failedGroup: id(group === null ? inferred.group : (family.groupPrefix ?? "") + group),
    attempts: attempts === null ? null : Number(attempts),
  };
}
