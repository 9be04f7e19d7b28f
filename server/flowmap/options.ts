// The flow map's settings: FLOWTAP_FLOWMAP (on/off) and FLOWTAP_FLOW_TYPES, parsed once at start
// by server/config.ts. No server-only import: config.ts and the tests load it.
import { z } from "zod";
import { NAME_MAX, type FlowTypeRule } from "../analysis/flow-types";
import type { FlowmapOutcome } from "./sync-flows";

/**
 * Events a flow may have and still be on the map. A constant correlation ID ("null", an all-zero
 * UUID) collects a whole topic: each chunk would read millions of rows. Sagas have tens of events;
 * 1,000 keeps every real one, and bounds a pass's read to ~2,000 rows per flow it folds.
 */
export const FLOWMAP_MAX_EVENTS = 1000;

export interface FlowmapOptions {
  /** FLOWTAP_FLOWMAP=off: events only (the baseline the write cost is measured against). */
  enabled: boolean;
  flowTypes: readonly FlowTypeRule[];
  maxEvents: number;
  /** Told each pass's outcome (server/flowmap/pass.ts; the tap logs flows refused). */
  report?: (outcome: FlowmapOutcome) => void;
}

export const DEFAULT_FLOWMAP: FlowmapOptions = { enabled: true, flowTypes: [], maxEvents: FLOWMAP_MAX_EVENTS };

export const FLOW_TYPES_SYNTAX =
  'rules "name=eventType:REGEX" or "name=topic:REGEX" separated by ";" (first match on the flow\'s first event wins), or a JSON array [{"name":…,"eventType":…} | {"name":…,"topic":…}]';

const name = z.string().trim().min(1, "a rule's name is empty").max(NAME_MAX, `a rule's name is longer than ${NAME_MAX} characters`);
const pattern = z.string().min(1, "a rule's regular expression is empty");
const rawRule = z
  .object({ name, eventType: pattern.optional(), topic: pattern.optional() }, { error: "a rule must be an object" })
  .strict()
  .refine((r) => (r.eventType === undefined) !== (r.topic === undefined), "a rule has exactly one of eventType and topic");

function compile(r: z.infer<typeof rawRule>, i: number): FlowTypeRule {
  const source = (r.eventType ?? r.topic)!;
  let re: RegExp;
  try {
    re = new RegExp(source);
  } catch (err) {
    throw new Error(`rule ${i + 1} ("${r.name}"): not a valid regular expression: ${(err as Error).message}`);
  }
  return r.eventType !== undefined ? { name: r.name, eventType: re } : { name: r.name, topic: re };
}

// A ";" starts a new rule only before "name=eventType:" or "name=topic:", so a regex may hold ";".
const RULE_START = /;(?=\s*[^;=]+=\s*(?:eventType|topic)\s*:)/i;
const RULE = /^\s*([^=]+?)\s*=\s*(eventType|topic)\s*:(.*)$/is;

function parseRules(text: string): unknown[] {
  if (text.trimStart().startsWith("[")) {
    try {
      return JSON.parse(text) as unknown[];
    } catch (err) {
      throw new Error(`not valid JSON: ${(err as Error).message}`);
    }
  }
  return text.split(RULE_START).map((item, i) => {
    const m = RULE.exec(item);
    if (!m) throw new Error(`rule ${i + 1} ("${item.trim().slice(0, 60)}") is not name=eventType:REGEX or name=topic:REGEX`);
    return m[2]!.toLowerCase() === "topic" ? { name: m[1], topic: m[3] } : { name: m[1], eventType: m[3] };
  });
}

/** FLOWTAP_FLOW_TYPES → rules, in order. Throws an Error whose message says what is wrong. */
export function parseFlowTypes(text: string): FlowTypeRule[] {
  if (text.trim() === "") return [];
  const parsed = z.array(rawRule, { error: "a JSON value must be an array of rules" }).safeParse(parseRules(text));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const at = typeof issue.path[0] === "number" ? `rule ${issue.path[0] + 1}: ` : "";
    throw new Error(`${at}${issue.message}; expected ${FLOW_TYPES_SYNTAX}`);
  }
  return parsed.data.map(compile);
}
