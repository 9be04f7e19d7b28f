import "server-only";
// Brings the aggregates of some flows up to date, inside the pass's transaction (pass.ts): for each
// flow, (contribution of its events now) − (contribution without its pending events), written as
// one delta. A flow's flowmap_members row is the bookkeeping that makes this exact: it exists
// exactly when the flow's contribution is in the tables, computed from its non-pending events.
import type { Store } from "../db/client";
import { storeErrorKind } from "../db/errors";
import type { ContributionConfig } from "../analysis/flow-contribution";
import { flowDelta } from "../analysis/flow-delta";
import { expandGrains, type RowSet } from "../analysis/flowmap-rows";
import { applyDelta, type MemberWrite } from "./apply-delta";
import { readTouchedFlows, type TouchedFlow } from "./read-touched";
import { withSavepoint } from "./transaction";

export interface FlowmapOutcome {
  /** Flows whose delta was written. */
  flows: number;
  /**
   * Flows left as they were: their recorded contribution cannot be recomputed, because retention
   * took some of their events, or FLOWTAP_FLOW_TYPES / FLOWTAP_TERMINAL_EVENTS changed since it
   * was recorded (the stored members row disagrees). They keep what they had.
   */
  frozen: number;
  /** Flows the store refused to count, for data reasons: taken out of the map (or left, if even that failed). */
  refused: number;
}

export const NO_OUTCOME: FlowmapOutcome = { flows: 0, frozen: 0, refused: 0 };

export function addOutcomes(a: FlowmapOutcome, b: FlowmapOutcome): FlowmapOutcome {
  return { flows: a.flows + b.flows, frozen: a.frozen + b.frozen, refused: a.refused + b.refused };
}

interface Change {
  upsert: MemberWrite | null;
  remove: string | null;
}

/** Adds the flow's delta into `minute`; "detach" takes its whole contribution out. Null: frozen. */
function changeOf(flow: TouchedFlow, config: ContributionConfig, detach: boolean, minute: RowSet): Change | null {
  // Fewer events than flows.events counts: retention took some, the recorded contribution is lost.
  if (flow.events.length !== flow.total) return null;
  const before = flow.member ? flow.events.filter((e) => !e.pending) : [];
  const d = flowDelta(flow.member, before, detach ? null : flow.events, config, minute);
  if (d === "frozen") return null;
  return {
    upsert: d.member ? { correlationId: flow.correlationId, member: d.member } : null,
    remove: !d.member && flow.member ? flow.correlationId : null,
  };
}

async function apply(tx: Store, minute: RowSet, changes: readonly Change[]): Promise<void> {
  await applyDelta(tx, expandGrains(minute.values()), changes.flatMap((c) => c.upsert ?? []), changes.flatMap((c) => c.remove ?? []));
}

type Mode = "sync" | "detach";

async function syncAll(tx: Store, counts: Map<string, number>, config: ContributionConfig, mode: Mode): Promise<FlowmapOutcome> {
  const flows = await readTouchedFlows(tx, counts, config.maxEvents, mode === "detach" ? "lock" : "read");
  const minute: RowSet = new Map();
  const changes = flows.map((f) => changeOf(f, config, mode === "detach", minute));
  const kept = changes.filter((c): c is Change => c !== null);
  await apply(tx, minute, kept);
  return { flows: kept.length, frozen: changes.length - kept.length, refused: 0 };
}

/**
 * The slow path, after the pass's delta was refused for data reasons (a bug, or a name the
 * store cannot key): flow by flow, each under its own savepoint. A flow whose delta is refused
 * is taken out of the map (its recorded contribution subtracted, its members row deleted), so the
 * tables stay exact for every other flow and this one is not counted again until it can be.
 */
async function syncEach(tx: Store, counts: Map<string, number>, config: ContributionConfig, mode: Mode): Promise<FlowmapOutcome> {
  const out = { ...NO_OUTCOME };
  let flows: TouchedFlow[];
  try {
    flows = await withSavepoint(tx, (sp) => readTouchedFlows(sp, counts, config.maxEvents, mode === "detach" ? "lock" : "read"));
  } catch (err) {
    if (storeErrorKind(err) === "unavailable") throw err;
    return { ...out, refused: counts.size };
  }
  for (const flow of flows) {
    const attempt = async (detach: boolean): Promise<"done" | "frozen"> =>
      withSavepoint(tx, async (sp) => {
        const minute: RowSet = new Map();
        const change = changeOf(flow, config, detach, minute);
        if (change) await apply(sp, minute, [change]);
        return change ? "done" : "frozen";
      });
    try {
      const r = await attempt(mode === "detach");
      if (r === "done") out.flows++;
      else out.frozen++;
    } catch (err) {
      if (storeErrorKind(err) === "unavailable") throw err;
      out.refused++;
      if (mode === "sync") await attempt(true).catch((e: unknown) => {
        if (storeErrorKind(e) === "unavailable") throw e;
      });
    }
  }
  return out;
}

/** Syncs (or, before their rows are displaced, detaches) the flows named in `counts` (correlation ID → pending rows). Throws only when the store is unavailable. */
export async function syncFlows(tx: Store, counts: Map<string, number>, config: ContributionConfig, mode: Mode): Promise<FlowmapOutcome> {
  if (counts.size === 0) return NO_OUTCOME;
  try {
    return await withSavepoint(tx, (sp) => syncAll(sp, counts, config, mode));
  } catch (err) {
    if (storeErrorKind(err) === "unavailable") throw err;
    return syncEach(tx, counts, config, mode);
  }
}
