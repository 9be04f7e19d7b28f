// The live tail's bookkeeping, pure: which incoming records are new, in what order they go on
// top of the list, and when to stop holding more.
import type { EventJson } from "@/server/flows/event-json";
import { eventKey } from "@/server/analysis/flow-analysis";

/** Rows the tail holds above the loaded pages before it pauses itself (Refresh starts over). */
export const MAX_TAIL_ROWS = 1_000;

export interface TailState {
  /** Newest first, above the loaded pages. */
  rows: EventJson[];
  /** More arrived than MAX_TAIL_ROWS: the tail stopped. */
  overflow: boolean;
}

export const EMPTY_TAIL: TailState = { rows: [], overflow: false };

/**
 * Adds `incoming` (oldest first, as the tail asks for them) to the tail. Records already shown
 * (the tail asks from the newest time it holds, inclusive) are skipped.
 */
export function mergeTail(tail: TailState, shown: ReadonlySet<string>, incoming: readonly EventJson[]): TailState {
  const seen = new Set(tail.rows.map(eventKey));
  const fresh = incoming.filter((e) => !shown.has(eventKey(e)) && !seen.has(eventKey(e)));
  if (fresh.length === 0) return tail;
  const rows = [...fresh.reverse(), ...tail.rows];
  return rows.length > MAX_TAIL_ROWS ? { rows: rows.slice(rows.length - MAX_TAIL_ROWS), overflow: true } : { rows, overflow: false };
}

/**
 * The time to ask from: the newest shown, else the window's start; never past `now`, or one
 * record stamped ahead by a producer's clock would hold the tail until that time comes.
 */
export function tailSince(tail: TailState, firstLoaded: EventJson | undefined, windowFrom: string | null, now: number): string | null {
  const since = tail.rows[0]?.timestamp ?? firstLoaded?.timestamp ?? windowFrom;
  if (since === null) return null;
  return Date.parse(since) > now ? new Date(now).toISOString() : since;
}
