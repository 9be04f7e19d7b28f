// A flow's type: the first matching FLOWTAP_FLOW_TYPES rule, applied to the flow's first event,
// else that event's own type. Pure, shared by the tap's aggregates and whoever shows a flow's type.

/** One rule: when the first event's event type (or its topic) matches, the flow is `name`. */
export type FlowTypeRule = { name: string; eventType: RegExp } | { name: string; topic: RegExp };

/**
 * Names in aggregate keys are cut to this many UTF-16 units. Why 100: flowmap_transitions' primary
 * key holds five names, and a btree entry must stay under 2,704 bytes; 5 × 100 units × 3 UTF-8
 * bytes = 1,500 bytes leaves room, whatever the alphabet. A longer event type or service name
 * would otherwise make the aggregate statement fail (SQLSTATE 54000) for data reasons.
 */
export const NAME_MAX = 100;

/** `s` cut to NAME_MAX units, never between the halves of a surrogate pair. */
export function capName(s: string): string {
  if (s.length <= NAME_MAX) return s;
  const cut = s.charCodeAt(NAME_MAX - 1);
  return s.slice(0, cut >= 0xd800 && cut <= 0xdbff ? NAME_MAX - 1 : NAME_MAX);
}

export function flowTypeOf(first: { topic: string; eventType: string | null }, rules: readonly FlowTypeRule[]): string {
  for (const rule of rules) {
    const hit = "eventType" in rule ? first.eventType !== null && rule.eventType.test(first.eventType) : rule.topic.test(first.topic);
    if (hit) return capName(rule.name);
  }
  return capName(first.eventType ?? "");
}
