import "server-only";
// API tokens in table api_tokens, when the store is PostgreSQL (DATABASE_URL): every web
// server and `npm run user` share them, and a revocation reaches all servers.
import { sql } from "drizzle-orm";
import type { Store } from "../db/client";
import { isoTs } from "../db/sql";
import { TokenNameTaken, newTokenId, type ApiToken, type FoundToken, type TokenStore } from "./tokens";

export function dbTokenStore(store: Store): TokenStore {
  return {
    async create(name, role, sha256) {
      try {
        await store.rows(sql`INSERT INTO api_tokens (id, name, role, sha256) VALUES (${newTokenId()}, ${name}, ${role}, ${sha256})`);
      } catch (err) {
        // 23505: the partial unique index on live names.
        const code = (err as { code?: string; cause?: { code?: string } }).code ?? (err as { cause?: { code?: string } }).cause?.code;
        if (code === "23505") throw new TokenNameTaken(name);
        throw err;
      }
    },
    async list() {
      return store.rows<ApiToken>(sql`
        SELECT id, name, role, sha256, ${isoTs(sql`created_at`)} AS "createdAt",
               ${isoTs(sql`last_used_at`)} AS "lastUsedAt", ${isoTs(sql`revoked_at`)} AS "revokedAt"
        FROM api_tokens ORDER BY created_at, name`);
    },
    async revoke(name) {
      const rows = await store.rows(sql`UPDATE api_tokens SET revoked_at = now() WHERE name = ${name} AND revoked_at IS NULL RETURNING id`);
      return rows.length;
    },
    async find(sha256) {
      const [row] = await store.rows<FoundToken>(sql`SELECT id, name, role FROM api_tokens WHERE sha256 = ${sha256} AND revoked_at IS NULL`);
      return row ?? null;
    },
    async touch(id, at) {
      await store.rows(sql`UPDATE api_tokens SET last_used_at = ${at.toISOString()}::timestamptz WHERE id = ${id}`);
    },
  };
}
