import "server-only";
/**
 * The queue (flowmap_pending) is a table every row of which is deleted within a pass or two. On
 * PostgreSQL autovacuum reclaims it (migration 0010 sets queue-like thresholds). PGlite runs no
 * autovacuum: without a VACUUM the dead rows stay, inserts only ever extend the table, and every
 * count and scan of the queue walks them. Measured on PGlite, 1M queued and deleted rows: the
 * table 76 MB, a capped count 40 ms; VACUUM 100 ms, then the table 0 bytes and the count 0.3 ms.
 * So the passes VACUUM it themselves after every VACUUM_EVERY_ROWS deleted rows.
 */
import { sql } from "drizzle-orm";
import type { Store } from "../db/client";

/** ≈ 7.6 MB of dead heap on PGlite; its VACUUM then takes tens of ms (PGlite serialises the store meanwhile). */
export const VACUUM_EVERY_ROWS = 100_000;

/** Called after each pass with the rows it deleted; VACUUMs the queue on PGlite once enough are dead. */
export function queueVacuum(store: Store, everyRows = VACUUM_EVERY_ROWS): (deleted: number) => Promise<void> {
  if (store.kind !== "pglite") return async () => {};
  let dead = 0;
  return async (deleted) => {
    dead += deleted;
    if (dead < everyRows) return;
    await store.rows(sql`VACUUM flowmap_pending`);
    dead = 0;
  };
}
