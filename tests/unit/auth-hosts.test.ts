// FLOWTAP_ALLOWED_HOSTS: a page served under a name the operator did not choose (DNS
// rebinding: attacker.example resolving to 127.0.0.1) gets 421 Misdirected Request, so a
// hostile page cannot read the API through the victim's browser, open mode or not.
import { afterEach, test } from "node:test";
import assert from "node:assert/strict";
import { NextRequest } from "next/server";
import { ConfigError, parseConfig } from "../../server/config";
import { allowedHostsFor, hostAllowed, parseAllowedHosts } from "../../server/auth/hosts";
import { proxy } from "../../proxy";

const saved = { ...process.env };
afterEach(() => {
  for (const k of ["FLOWTAP_ALLOWED_HOSTS", "PORT", "__NEXT_PRIVATE_ORIGIN"]) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

test("FLOWTAP_ALLOWED_HOSTS is a comma-separated host[:port] list; anything else stops the start naming it", () => {
  assert.deepEqual(parseAllowedHosts(" Flowtap.Example.com:8443, ops.example ,[::1]:3000"), ["flowtap.example.com:8443", "ops.example", "[::1]:3000"]);
  for (const bad of ["http://flowtap.example", "a b", "host:99999", "host:", ",", "user@host"]) {
    assert.throws(() => parseAllowedHosts(bad), `${bad} accepted`);
    assert.throws(() => parseConfig({ FLOWTAP_ALLOWED_HOSTS: bad }), (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.match(err.message, /^Invalid configuration: FLOWTAP_ALLOWED_HOSTS: /);
      return true;
    });
  }
  assert.deepEqual(parseConfig({ FLOWTAP_ALLOWED_HOSTS: "a.example:80" }).allowedHosts, ["a.example:80"]);
  assert.equal(parseConfig({}).allowedHosts, null);
});

test("by default only the bind address and its loopback names, on the server's port", () => {
  const allowed = allowedHostsFor(null, "http://127.0.0.1:4123", "4123");
  for (const ok of ["127.0.0.1:4123", "localhost:4123", "LOCALHOST:4123", "[::1]:4123"]) assert.ok(hostAllowed(ok, allowed), ok);
  for (const no of ["attacker.example:4123", "127.0.0.1:4124", "127.0.0.1", "localhost.attacker.example:4123", "", null]) {
    assert.equal(hostAllowed(no, allowed), false, String(no));
  }
  // Bound to another address: that address too.
  assert.ok(hostAllowed("10.1.2.3:3000", allowedHostsFor(null, "http://10.1.2.3:3000", "3000")));
  // Without Next.js's origin (tests, dev): PORT, else 3000.
  assert.ok(hostAllowed("localhost:3000", allowedHostsFor(null, undefined, undefined)));
});

test("an explicit list replaces the default; an entry without a port allows the name on any port", () => {
  const allowed = allowedHostsFor(["flowtap.example.com", "ops.example:8080"], "http://127.0.0.1:3000", "3000");
  assert.ok(hostAllowed("flowtap.example.com", allowed));
  assert.ok(hostAllowed("Flowtap.Example.com:443", allowed));
  assert.ok(hostAllowed("ops.example:8080", allowed));
  assert.equal(hostAllowed("ops.example", allowed), false);
  assert.equal(hostAllowed("ops.example:8081", allowed), false);
  assert.equal(hostAllowed("127.0.0.1:3000", allowed), false);
});

test("the proxy answers 421 to a foreign Host on pages, the API and /metrics, and passes its own", async () => {
  process.env.__NEXT_PRIVATE_ORIGIN = "http://127.0.0.1:3999";
  process.env.PORT = "3999";
  delete process.env.FLOWTAP_ALLOWED_HOSTS;
  const call = (path: string, host: string) => proxy(new NextRequest(`http://127.0.0.1:3999${path}`, { headers: { host } }));
  for (const path of ["/", "/api/flows", "/api/health", "/metrics", "/flows/abc"]) {
    const res = call(path, "attacker.example:3999");
    assert.equal(res.status, 421, path);
    assert.match(await res.text(), /FLOWTAP_ALLOWED_HOSTS/);
    assert.notEqual(call(path, "127.0.0.1:3999").status, 421, path);
    assert.notEqual(call(path, "localhost:3999").status, 421, path);
  }
  process.env.FLOWTAP_ALLOWED_HOSTS = "flowtap.example.com";
  assert.notEqual(call("/api/flows", "flowtap.example.com").status, 421);
  assert.equal(call("/api/flows", "127.0.0.1:3999").status, 421);
});
