import "server-only";
// Per-user session epochs in the store (table auth_sessions): a cookie is valid only while
// its epoch is the user's current one. Read at each cookie request (one primary-key lookup),
// so a sign-out on any web server sharing the store ends the session everywhere at once.
import { sql } from "drizzle-orm";
import type { Store } from "../db/client";

export async function currentEpoch(store: Store, name: string): Promise<number> {
  const [row] = await store.rows<{ epoch: number }>(sql`SELECT epoch FROM auth_sessions WHERE name = ${name}`);
  return row?.epoch ?? 0;
}

/** Ends every session of `name`; returns the new epoch. */
export async function bumpEpoch(store: Store, name: string): Promise<number> {
  const [row] = await store.rows<{ epoch: number }>(sql`
    INSERT INTO auth_sessions (name, epoch) VALUES (${name}, 1)
    ON CONFLICT (name) DO UPDATE SET epoch = auth_sessions.epoch + 1, changed_at = now()
    RETURNING epoch`);
  return row!.epoch;
}
