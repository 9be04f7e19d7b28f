import "server-only";
// `Authorization: Bearer ft_…` on the request path: one SHA-256 and a lookup, so a script's
// call costs what a session cookie's costs (a cookie costs an epoch lookup in the store).
// - PostgreSQL: answers are cached for 5 s per digest, so a polling script reads the table
//   once per 5 s; a revocation takes effect within those 5 s on every server.
// - PGlite: the tokens file is re-read only when it changes (stat per request), no cache
//   needed; a revocation takes effect at the next request.
// Last use is written at most once a minute per token, in the background: never a write per read.
import { getConfig } from "../config";
import { describeStoreError } from "../db/errors";
import { getRuntime } from "../runtime";
import { dbTokenStore } from "./tokens-db";
import { fileTokenStore, tokensUsedFile } from "./tokens-file";
import { LastUseLimiter, tokenDigest, type FoundToken, type TokenStore } from "./tokens";
import type { User } from "./users";

const CACHE_TTL_MS = 5_000;
const CACHE_MAX = 10_000;
const LAST_USE_EVERY_MS = 60_000;

interface State {
  store: Promise<TokenStore> | null;
  cache: Map<string, { found: FoundToken | null; until: number }>;
  lastUse: LastUseLimiter;
}
// One per process, on globalThis because Next.js bundles each route apart.
const state: State = ((globalThis as { __flowtapBearer?: State }).__flowtapBearer ??= {
  store: null,
  cache: new Map(),
  lastUse: new LastUseLimiter(LAST_USE_EVERY_MS),
});

function tokenStore(): Promise<TokenStore> {
  if (state.store) return state.store;
  const config = getConfig();
  const opening = config.databaseUrl
    ? getRuntime().store.then(dbTokenStore)
    : Promise.resolve(fileTokenStore(config.tokensFile, tokensUsedFile(config.tokensFile)));
  // A failed store open is retried at the next request.
  opening.catch(() => {
    if (state.store === opening) state.store = null;
  });
  return (state.store = opening);
}

async function lookup(store: TokenStore, digest: string, now: number): Promise<FoundToken | null> {
  if (!getConfig().databaseUrl) return store.find(digest);
  const hit = state.cache.get(digest);
  if (hit && hit.until > now) return hit.found;
  const found = await store.find(digest);
  state.cache.delete(digest);
  state.cache.set(digest, { found, until: now + CACHE_TTL_MS });
  // Bounded against a flood of made-up tokens; insertion order is expiry order.
  while (state.cache.size > CACHE_MAX) state.cache.delete(state.cache.keys().next().value!);
  return found;
}

/** The token's identity (`token:NAME`, its role), or null for an unknown or revoked token. */
export async function verifyBearer(token: string): Promise<User | null> {
  const now = Date.now();
  const store = await tokenStore();
  const found = await lookup(store, tokenDigest(token), now);
  if (!found) return null;
  if (state.lastUse.due(found.id, now)) {
    void store.touch(found.id, new Date(now)).catch((err: unknown) => {
      console.error(`flowtap: could not record the last use of token ${found.name}: ${describeStoreError(err)}`);
    });
  }
  return { name: `token:${found.name}`, role: found.role };
}
