import "server-only";
// A Store whose statements run in one transaction, on either driver: postgres.js reserves one
// pooled connection for it; PGlite holds its transaction mutex, so no other query of the process
// runs in between (and nothing may use the outer store inside `fn`: it would wait forever).
import { sql, type SQL } from "drizzle-orm";
import type { Db, Store } from "../db/client";

/** postgres.js answers with an array (RowList), PGlite with { rows }. */
function rowsOf<T>(res: unknown): T[] {
  return Array.isArray(res) ? Array.from(res as T[]) : (res as { rows: T[] }).rows;
}

function storeOf(kind: Store["kind"], tx: Db): Store {
  return {
    kind,
    db: tx,
    rows: async <R,>(query: SQL) => rowsOf<R>(await tx.execute(query)),
    ping: async () => {
      await tx.execute(sql`select 1`);
    },
    close: () => Promise.reject(new Error("a transaction's store cannot be closed")),
  };
}

/** `isolationLevel` is set by `SET TRANSACTION` before `fn`'s first statement, which takes the snapshot. */
export async function inTransaction<T>(store: Store, fn: (tx: Store) => Promise<T>, isolationLevel?: "repeatable read" | "read committed"): Promise<T> {
  return store.db.transaction(async (tx) => fn(storeOf(store.kind, tx as unknown as Db)), isolationLevel ? { isolationLevel } : undefined);
}

/**
 * Runs `fn` under a savepoint: when it throws, what it did is undone and the outer transaction
 * goes on. It is drizzle's nested transaction, i.e. postgres.js's own savepoint scope, which that
 * driver needs: a failed statement inside `begin` otherwise fails the whole transaction at commit,
 * caught or not. But postgres.js never releases its savepoints, and every later write of the
 * transaction would then run inside that subtransaction. So an outer savepoint of our own is set first and released
 * after, which releases the driver's with it (fewer open subtransactions for the rest of the
pass). Statements inside go through the store `fn` gets.
 */
export async function withSavepoint<T>(tx: Store, fn: (sp: Store) => Promise<T>): Promise<T> {
  await tx.rows(sql`SAVEPOINT flowmap_scope`);
  try {
    return await tx.db.transaction(async (sp) => fn(storeOf(tx.kind, sp as unknown as Db)));
  } finally {
    await tx.rows(sql`RELEASE SAVEPOINT flowmap_scope`);
  }
}
