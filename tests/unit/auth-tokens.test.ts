// API tokens for scripts: long and random, shown once, kept only as SHA-256; the file store
// (PGlite installs) is written atomically by `npm run user` and never by the server, which
// keeps last use in a file of its own, written at most once a minute per token.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LastUseLimiter, bearerToken, newToken, tokenDigest } from "../../server/auth/tokens";
import { fileTokenStore } from "../../server/auth/tokens-file";

test("a token is ft_ and 32 random bytes in base64url; its digest is SHA-256 hex", () => {
  const a = newToken();
  const b = newToken();
  assert.match(a, /^ft_[A-Za-z0-9_-]{43}$/);
  assert.notEqual(a, b);
  assert.match(tokenDigest(a), /^[0-9a-f]{64}$/);
  assert.equal(tokenDigest(a), tokenDigest(a));
  assert.equal(bearerToken(`Bearer ${a}`), a);
  assert.equal(bearerToken(`bearer   ${a} `), a);
  assert.equal(bearerToken("Basic abc"), null);
  assert.equal(bearerToken(null), null);
});

test("the file store keeps digests only, refuses a second live token of a name, and revokes by name", async () => {
  const dir = mkdtempSync(join(tmpdir(), "ft-tokens-"));
  const store = fileTokenStore(join(dir, "tokens.json"), join(dir, "tokens-used.json"));
  const token = newToken();
  await store.create("ci", "operator", tokenDigest(token));
  const text = readFileSync(join(dir, "tokens.json"), "utf8");
  assert.ok(!text.includes(token), "the token itself is on disk");
  assert.ok(text.includes(tokenDigest(token)));
  assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith(".tmp")), []);
  await assert.rejects(store.create("ci", "viewer", tokenDigest(newToken())), /ci.*exists/);
  const found = await store.find(tokenDigest(token));
  assert.deepEqual(found && { name: found.name, role: found.role }, { name: "ci", role: "operator" });
  assert.equal(await store.find(tokenDigest(newToken())), null);

  const [listed] = await store.list();
  assert.equal(listed?.name, "ci");
  assert.equal(listed?.lastUsedAt, null);
  await store.touch(found!.id, new Date("2030-01-02T03:04:05Z"));
  assert.equal((await store.list())[0]?.lastUsedAt, "2030-01-02T03:04:05.000Z");

  assert.equal(await store.revoke("ci"), 1);
  assert.equal(await store.find(tokenDigest(token)), null);
  assert.ok((await store.list())[0]?.revokedAt);
  assert.equal(await store.revoke("ci"), 0);
  // The name is free again once revoked.
  await store.create("ci", "viewer", tokenDigest(newToken()));
  assert.equal((await store.list()).length, 2);
});

test("last use is written at most once a minute per token", () => {
  const limiter = new LastUseLimiter(60_000);
  const t0 = 1_000_000;
  assert.equal(limiter.due("a", t0), true);
  for (let i = 1; i < 100; i++) assert.equal(limiter.due("a", t0 + i * 500), false);
  assert.equal(limiter.due("b", t0 + 10), true);
  assert.equal(limiter.due("a", t0 + 60_000), true);
  assert.equal(limiter.due("a", t0 + 60_001), false);
});
