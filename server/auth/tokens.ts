// API tokens for scripts: `ft_` and 32 random bytes (base64url), shown once by
// `npm run user -- token`, kept only as SHA-256 hex. 256 random bits cannot be guessed, so
// the digest needs no salt and no slow hash: a request costs one SHA-256 and one lookup,
// unlike a password, which costs an scrypt. Where tokens live (the store or a file) is in
// tokens-db.ts and tokens-file.ts; the request path is in bearer.ts.
import { createHash, randomBytes } from "node:crypto";
import type { Role } from "./users";

export interface ApiToken {
  id: string;
  name: string;
  role: Role;
  sha256: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export type FoundToken = Pick<ApiToken, "id" | "name" | "role">;

/** Where tokens are kept: table api_tokens with DATABASE_URL, a file with PGlite. */
export interface TokenStore {
  /** Adds a live token; refuses a name that has one. */
  create(name: string, role: Role, sha256: string): Promise<void>;
  list(): Promise<ApiToken[]>;
  /** Revokes the name's live token; returns how many were revoked (0 or 1). */
  revoke(name: string): Promise<number>;
  /** The live token with this digest, or null. */
  find(sha256: string): Promise<FoundToken | null>;
  /** Records a use (callers rate-limit it). */
  touch(id: string, at: Date): Promise<void>;
}

export const TOKEN_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export const newToken = (): string => `ft_${randomBytes(32).toString("base64url")}`;
export const newTokenId = (): string => randomBytes(8).toString("hex");
export const tokenDigest = (token: string): string => createHash("sha256").update(token, "utf8").digest("hex");

/** The token of an `Authorization: Bearer …` header, or null for any other header. */
export function bearerToken(header: string | null): string | null {
  const m = /^bearer\s+(\S+)\s*$/i.exec(header ?? "");
  return m ? m[1]! : null;
}

export class TokenNameTaken extends Error {
  constructor(name: string) {
    super(`a token named ${name} exists; revoke it first (npm run user -- revoke-token ${name})`);
  }
}

/**
 * Says when a token's last use is due to be written: at most once per `intervalMs` per token.
 * A script polling every second must not turn every read into a write.
 */
export class LastUseLimiter {
  private readonly written = new Map<string, number>();
  constructor(private readonly intervalMs: number, private readonly maxKeys = 10_000) {}

  due(id: string, now: number): boolean {
    const last = this.written.get(id);
    if (last !== undefined && now - last < this.intervalMs) return false;
    this.written.delete(id);
    this.written.set(id, now);
    // Bounded: insertion order is roughly age order, so the oldest is dropped first.
    if (this.written.size > this.maxKeys) this.written.delete(this.written.keys().next().value!);
    return true;
  }
}
