import { integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Per-user session epochs. A session cookie carries the epoch it was signed in; signing out
 * bumps the user's epoch, which ends every session of that user at once, copies included.
 * A user with no row is at epoch 0.
 */
export const authSessions = pgTable("auth_sessions", {
  name: text("name").primaryKey(),
  epoch: integer("epoch").notNull().default(0),
  changedAt: timestamp("changed_at", { withTimezone: true, mode: "string" }).notNull().defaultNow(),
});
