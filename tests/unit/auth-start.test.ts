// Fail closed: without a readable users file holding at least one user, Flowtap refuses to
// start (one `Invalid configuration:` line) unless FLOWTAP_AUTH=off says open mode on purpose.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, parseConfig } from "../../server/config";
import { signInAtStart } from "../../server/auth/start-check";

const dir = () => mkdtempSync(join(tmpdir(), "ft-start-"));
const oneLineConfigError = (re: RegExp) => (err: unknown) => {
  assert.ok(err instanceof ConfigError, String(err));
  assert.match(err.message, re);
  assert.doesNotMatch(err.message, /\n/);
  return true;
};

test("FLOWTAP_AUTH is on or off; on by default", () => {
  assert.equal(parseConfig({}).authOpen, false);
  assert.equal(parseConfig({ FLOWTAP_AUTH: "off" }).authOpen, true);
  assert.throws(() => parseConfig({ FLOWTAP_AUTH: "none" }), oneLineConfigError(/^Invalid configuration: FLOWTAP_AUTH: /));
});

test("no users file, an empty one or an unreadable one stops the start, naming the file and FLOWTAP_AUTH=off", () => {
  const d = dir();
  const cases: Array<[string, string | null]> = [
    ["missing.json", null],
    ["empty-list.json", JSON.stringify({ users: [] })],
    ["empty.json", ""],
    ["garbage.json", "{ not json"],
    ["wrong-shape.json", JSON.stringify({ people: [] })],
  ];
  for (const [name, content] of cases) {
    const path = join(d, name);
    if (content !== null) writeFileSync(path, content);
    const config = parseConfig({ FLOWTAP_USERS_FILE: path });
    assert.throws(() => signInAtStart(config), oneLineConfigError(new RegExp(`^Invalid configuration: FLOWTAP_USERS_FILE: .*${name}.*FLOWTAP_AUTH=off`)), name);
  }
});

test("open mode starts without users and says so; a users file with a user starts quietly", () => {
  const d = dir();
  const open = signInAtStart(parseConfig({ FLOWTAP_USERS_FILE: join(d, "none.json"), FLOWTAP_AUTH: "off" }));
  assert.match(open ?? "", /open mode/i);
  assert.match(open ?? "", /FLOWTAP_AUTH=off/);
  const path = join(d, "users.json");
  writeFileSync(path, JSON.stringify({ users: [{ name: "ann", role: "viewer", password: "scrypt$16384$8$1$AAAA$BBBB" }] }));
  assert.equal(signInAtStart(parseConfig({ FLOWTAP_USERS_FILE: path })), null);
  // Open mode with users: still logged, since reads need no sign-in.
  assert.match(signInAtStart(parseConfig({ FLOWTAP_USERS_FILE: path, FLOWTAP_AUTH: "off" })) ?? "", /open mode/i);
});
