// What the tap writes for one flow when a chunk adds events to it: (contribution of the events
// now) − (contribution of the events before), checked against what was recorded. Pure.
import { contribution, type ContributionConfig, type FlowEvent, type Member } from "./flow-contribution";
import { addAll, type RowSet } from "./flowmap-rows";

function sameMember(a: Member, b: Member): boolean {
  return a.flowType === b.flowType && a.status === b.status && a.variant === b.variant && a.firstSeen === b.firstSeen &&
    a.lastSeen === b.lastSeen && a.lastService === b.lastService && a.lastEventType === b.lastEventType;
}

/**
 * Adds the flow's delta, at minute grain, into `into` (a chunk sums all its flows there before
 * spreading the sums over the grains: a new event moves one stop and one variant and adds a step
 * and a transition, the rest cancels) and returns the flow's members row after (null: off the map).
 *
 * `recorded`: the flow's members row, i.e. its contribution is in the tables and was computed from
 * `before`. `after` null takes the flow off the map. Returns "frozen" and adds nothing when the
 * recorded contribution is not the one `before` gives (another FLOWTAP_FLOW_TYPES or
 * FLOWTAP_TERMINAL_EVENTS then, or events gone since): subtracting it would leave wrong rows.
 */
export function flowDelta(
  recorded: Member | null,
  before: readonly FlowEvent[],
  after: readonly FlowEvent[] | null,
  config: ContributionConfig,
  into: RowSet,
): { member: Member | null } | "frozen" {
  const old = recorded ? contribution(before, config) : null;
  if (recorded && (!old || !sameMember(old.member, recorded))) return "frozen";
  const now = after ? contribution(after, config) : null;
  if (now) addAll(into, now.rows, 1);
  if (old) addAll(into, old.rows, -1);
  return { member: now?.member ?? null };
}
