import { splitPath } from "./json-path";
import { DEFAULT_DLQ_TOPIC_PATTERN } from "./topic-name";
import type { ExtractConfig, FieldRule } from "./types";

export function defaultExtractConfig(): ExtractConfig {
  return {
    correlationRules: [],
    causationRules: [],
    eventIdRules: [],
    eventTypeRules: [],
    serviceRules: [],
    dlqTopicPattern: DEFAULT_DLQ_TOPIC_PATTERN,
    valueCapBytes: 65536,
    idMaxChars: 512,
    maxJsonDepth: 64,
  };
}

const RULE = /^(header|path)\s*:\s*(.*)$/i;
const SYNTAX = 'expected "header:<name>" or "path:<dotted.path>", separated by commas';

/**
 * Parses "header:x-my-corr,path:body.ctx.cid" into rules, in order. A blank string gives no rules;
 * anything else malformed throws, naming the offending entry.
 */
export function parseFieldRules(text: string): FieldRule[] {
  if (text.trim() === "") return [];
  return text.split(",").map((item, i) => {
    const entry = item.trim();
    const where = `rule ${i + 1} ("${entry}")`;
    if (entry === "") throw new Error(`Empty rule at position ${i + 1}: ${SYNTAX}`);
    const m = RULE.exec(entry);
    const kind = m?.[1]?.toLowerCase();
    const target = m?.[2]?.trim() ?? "";
    if (kind === undefined) throw new Error(`Invalid ${where}: ${SYNTAX}`);
    if (target === "") throw new Error(`Invalid ${where}: missing the ${kind === "header" ? "header name" : "path"} after "${kind}:"`);
    if (kind === "header") return { header: target };
    if (splitPath(target) === null) throw new Error(`Invalid ${where}: path segments must not be empty`);
    return { path: target };
  });
}
