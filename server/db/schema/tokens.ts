import { sql } from "drizzle-orm";
import { pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

/**
 * API tokens for scripts (`npm run user -- token NAME --role …`), when the store is PostgreSQL.
 * Only the token's SHA-256 is kept: the token is a 256-bit random value, so a plain digest
 * is enough (no salt or slow hash is needed against guessing) and a lookup is one index probe.
 * A name has at most one live token; revoked rows stay for the listing.
 */
export const apiTokens = pgTable(
  "api_tokens",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    role: text("role").notNull(),
    sha256: text("sha256").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "string" }).notNull().defaultNow(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true, mode: "string" }),
    revokedAt: timestamp("revoked_at", { withTimezone: true, mode: "string" }),
  },
  (t) => [
    uniqueIndex("api_tokens_sha256_idx").on(t.sha256),
    uniqueIndex("api_tokens_live_name_idx").on(t.name).where(sql`${t.revokedAt} IS NULL`),
  ],
);
