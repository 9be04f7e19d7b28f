// Session secrets: a short or empty secret stops the start with one line naming it; the
// generated file is complete, private and left alone by a second starter; the HMAC key is
// derived from the secret, never the secret's bytes themselves.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, parseConfig } from "../../server/config";
import { sessionSecret } from "../../server/auth/session";

const dir = () => mkdtempSync(join(tmpdir(), "ft-secret-"));

test("a FLOWTAP_SESSION_SECRET shorter than 32 bytes is a configuration error naming it", () => {
  assert.throws(() => parseConfig({ FLOWTAP_SESSION_SECRET: "a-20-character-secrt" }), (err: unknown) => {
    assert.ok(err instanceof ConfigError);
    assert.match(err.message, /^Invalid configuration: FLOWTAP_SESSION_SECRET: .*32/);
    return true;
  });
  assert.equal(parseConfig({ FLOWTAP_SESSION_SECRET: "x".repeat(31) + "é" }).sessionSecret?.length, 32);
});

test("an empty or short session-secret file stops the start with one line naming the file", () => {
  for (const content of ["", "\n", Buffer.alloc(16, 7).toString("base64"), "not base64 at all, but long enough to pass a length test!!"]) {
    const d = dir();
    writeFileSync(join(d, "session-secret"), content);
    assert.throws(() => sessionSecret(null, d), (err: unknown) => {
      assert.ok(err instanceof ConfigError, `${JSON.stringify(content)}: ${String(err)}`);
      assert.match(err.message, /^Invalid configuration: .*session-secret.*32/);
      assert.doesNotMatch(err.message, /\n/);
      return true;
    });
  }
});

test("the generated secret file holds 32 random bytes, mode 0600, with no temporary file left", () => {
  const d = dir();
  const key = sessionSecret(null, d);
  const path = join(d, "session-secret");
  assert.equal(Buffer.from(readFileSync(path, "utf8").trim(), "base64").length, 32);
  assert.equal(statSync(path).mode & 0o777, 0o600);
  assert.deepEqual(readdirSync(d), ["session-secret"]);
  // A second start (or a second bundle of the same process) uses the same file.
  assert.deepEqual(sessionSecret(null, d), key);
});

test("the HMAC key is derived from an environment secret, not the secret's bytes", () => {
  const secret = "an environment secret of more than thirty-two bytes";
  const key = sessionSecret(secret, dir());
  assert.equal(key.length, 32);
  assert.notDeepEqual(key, Buffer.from(secret, "utf8"));
  assert.deepEqual(sessionSecret(secret, dir()), key, "the same secret gives the same key on every server");
  assert.notDeepEqual(sessionSecret(`${secret}!`, dir()), key);
});
