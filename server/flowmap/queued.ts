import "server-only";
// How far the flow map is behind the index: events queued for the pass, counted up to a cap so the
// map's answer and the health poll stay cheap (a LIMIT-ed count of a 100k-row queue: ~10 ms).
import { sql } from "drizzle-orm";
import { QUEUED_COUNT_CAP } from "../contract/flowmap";
import type { Store } from "../db/client";

/** Rows in the queue, counted up to `cap` (the passes' own lag, tests; the map's answer below). */
export async function pendingRows(store: Store, cap = 1_000_000): Promise<number> {
  const [r] = await store.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM (SELECT 1 FROM flowmap_pending LIMIT ${cap}) q`);
  return r?.n ?? 0;
}

export async function queuedEvents(store: Store): Promise<{ events: number; capped: boolean }> {
  const n = await pendingRows(store, QUEUED_COUNT_CAP + 1);
  return { events: Math.min(n, QUEUED_COUNT_CAP), capped: n > QUEUED_COUNT_CAP };
}
