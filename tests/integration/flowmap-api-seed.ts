// Test data for the flow map's read side, written straight into the aggregate tables (the tap's
// writer is tested on its own): simulated flows, each turned into the rows it contributes at
// minute grain and summed into hour and all-time rows, plus its flowmap_members row. The flows
// are kept, so tests compute what the API must answer by brute force over them.
import { createHash } from "node:crypto";
import type { Store } from "../../server/db/client";
import { flowmapFlows, flowmapMembers, flowmapSteps, flowmapStops, flowmapTransitions, flowmapVariants } from "../../server/db/schema/flowmap";
import { bucketOf } from "../../server/analysis/sketch";
import { stepKey, type Step } from "../../server/analysis/steps";
import { DEFAULT_TERMINAL_EVENTS } from "../../server/config";
import { DEFAULT_FLOWMAP } from "../../server/flowmap/options";
import { reconcileFlowmapSettings } from "../../server/flowmap/settings";

export interface SimFlow {
  id: string;
  type: string;
  events: Array<{ step: Step; ts: number }>;
  status: "open" | "completed" | "dlq";
}

const MIN = 60_000;
const minute = (ms: number) => Math.floor(ms / MIN) * MIN;
const iso = (ms: number) => new Date(ms).toISOString();
export const variantOf = (path: string[]) => createHash("sha1").update(path.join("\u001e")).digest("hex").slice(0, 16);

export function pathOf(f: SimFlow): string[] {
  return f.events.map((e) => stepKey(e.step)).filter((k, i, all) => i === 0 || all[i - 1] !== k);
}

type Counts = Record<string, number>;
const tables = { flows: flowmapFlows, steps: flowmapSteps, transitions: flowmapTransitions, stops: flowmapStops, variants: flowmapVariants } as const;
type Table = keyof typeof tables;

/** Sums rows by (table, grain, t, key) at grains 60, 3600 and 0. */
class Rows {
  readonly map = new Map<string, { table: Table; row: Record<string, unknown>; counts: Counts }>();
  add(table: Table, t: number, key: Record<string, unknown>, counts: Counts): void {
    for (const [grain, size] of [[60, MIN], [3600, 3_600_000], [0, 0]] as const) {
      const at = size ? Math.floor(t / size) * size : 0;
      const id = JSON.stringify([table, grain, at, key]);
      const have = this.map.get(id);
      if (have) for (const [c, n] of Object.entries(counts)) have.counts[c] = (have.counts[c] ?? 0) + n;
      else this.map.set(id, { table, row: { grain, t: iso(at), ...key }, counts: { ...counts } });
    }
  }
}

export function rowsOf(flows: readonly SimFlow[]): Rows {
  const rows = new Rows();
  for (const f of flows) {
    const first = f.events[0]!;
    const last = f.events[f.events.length - 1]!;
    const dlq = f.status === "dlq";
    rows.add("flows", minute(first.ts), { flowType: f.type }, { flows: 1, completed: f.status === "completed" ? 1 : 0, dlq: dlq ? 1 : 0 });
    const reached = new Map<string, { step: Step; ts: number; events: number }>();
    for (const e of f.events) {
      const k = stepKey(e.step);
      const r = reached.get(k);
      if (r) r.events++;
      else reached.set(k, { step: e.step, ts: e.ts, events: 1 });
    }
    for (const [k, r] of reached) {
      const isLast = k === stepKey(last.step);
      rows.add("steps", minute(r.ts), { flowType: f.type, service: r.step.service, eventType: r.step.eventType }, { flows: 1, events: r.events, dlq: dlq && isLast ? 1 : 0, duplicates: 0, outOfOrder: 0 });
    }
    const linked = new Set<string>();
    for (let i = 1; i < f.events.length; i++) {
      const a = f.events[i - 1]!;
      const b = f.events[i]!;
      const id = `${stepKey(a.step)}>${stepKey(b.step)}`;
      if (stepKey(a.step) === stepKey(b.step) || linked.has(id)) continue;
      linked.add(id);
      rows.add("transitions", minute(b.ts), {
        flowType: f.type, fromService: a.step.service, fromEventType: a.step.eventType, toService: b.step.service, toEventType: b.step.eventType, bucket: bucketOf(b.ts - a.ts),
      }, { flows: 1 });
    }
    rows.add("stops", minute(last.ts), { flowType: f.type, service: last.step.service, eventType: last.step.eventType, status: f.status }, { flows: 1 });
    const path = pathOf(f);
    const steps = path.map((k) => k.split("\u001f"));
    rows.add("variants", minute(first.ts), { flowType: f.type, variant: variantOf(path), steps }, { flows: 1 });
  }
  return rows;
}

async function insertChunks<T>(items: T[], write: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += 500) await write(items.slice(i, i + 500));
}

/** Writes the flows' aggregate rows and members. */
export async function seed(store: Store, flows: readonly SimFlow[]): Promise<void> {
  // As a tap with the default settings leaves an empty index: the map is recorded as built for
  // them, so a tap started on this store does not take the seeded map for one of other settings.
  const r = await reconcileFlowmapSettings(store, DEFAULT_FLOWMAP, DEFAULT_TERMINAL_EVENTS, () => {});
  if (r.action !== "recorded" && r.action !== "unchanged") throw new Error(`seed wants a store without a map, got ${r.action}`);
  const rows = rowsOf(flows);
  for (const table of Object.keys(tables) as Table[]) {
    const list = [...rows.map.values()].filter((r) => r.table === table).map((r) => ({ ...r.row, ...r.counts }));
    // One loop over five tables of different shapes: the rows were built from each table's own columns.
    await insertChunks(list, (chunk) => store.db.insert(tables[table]).values(chunk as never));
  }
  const members = flows.map((f) => {
    const last = f.events[f.events.length - 1]!;
    const path = pathOf(f);
    return {
      correlationId: f.id, flowType: f.type, firstSeen: iso(f.events[0]!.ts), lastSeen: iso(last.ts),
      lastService: last.step.service, lastEventType: last.step.eventType, status: f.status, variant: variantOf(path), path,
    };
  });
  await insertChunks(members, (chunk) => store.db.insert(flowmapMembers).values(chunk));
}
