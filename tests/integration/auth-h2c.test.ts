// Java's built-in HTTP client asks to upgrade plain-http connections to HTTP/2
// (`Connection: Upgrade, HTTP2-Settings`, `Upgrade: h2c`). `next start` listens for 'upgrade'
// (for its own rewrites and dev reloads), so Node hands such requests to Next.js, which ends
// the socket without an answer. Here: a Node http server set up the way `next start` sets
// its own up, with the guard boot() installs, and raw requests over a socket.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import { connect } from "node:net";

let server: Server;
let port: number;
let upgrades = 0;

before(async () => {
  const guard = (await import("../../server/http/h2c").catch(() => null)) as { ignoreH2cUpgrades?: () => void } | null;
  guard?.ignoreH2cUpgrades?.();
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ method: req.method, url: req.url, body }));
    });
  });
  // What Next.js's router server does with an upgrade request for one of its own routes.
  server.on("upgrade", (_req, socket) => {
    upgrades++;
    socket.end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as { port: number }).port;
});

after(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Writes `raw` on a new connection; resolves with everything read until `done` says so or the peer closes. */
function exchange(raw: string, done: (text: string) => boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let text = "";
    const finish = () => {
      socket.destroy();
      resolve(text);
    };
    socket.setTimeout(5_000, finish);
    socket.on("data", (c: Buffer) => {
      text += c.toString("latin1");
      if (done(text)) finish();
    });
    socket.on("end", finish);
    socket.on("error", reject);
    socket.write(raw);
  });
}

const H2C = "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAEAAEAAAAIAAAABAAMAAABkAAQBAAAAAAUAAEAA\r\n";
const countResponses = (t: string) => t.split("HTTP/1.1 200 OK").length - 1;
/** True once a whole response (headers and Content-Length bytes of body) has arrived. */
function complete(t: string): boolean {
  const end = t.indexOf("\r\n\r\n");
  const length = /\r\ncontent-length: *(\d+)/i.exec(t.slice(0, end))?.[1];
  return end >= 0 && length !== undefined && t.length - end - 4 >= Number(length);
}

test("a GET asking for h2c gets a plain HTTP/1.1 answer", async () => {
  const text = await exchange(`GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: Java-http-client/21\r\n${H2C}Content-Length: 0\r\n\r\n`, complete);
  assert.match(text, /^HTTP\/1\.1 200 OK\r\n/, `answer: ${JSON.stringify(text)}`);
  assert.match(text, /"url":"\/api\/health"/);
  assert.equal(upgrades, 0);
});

test("a POST asking for h2c gets its body read and answered", async () => {
  const body = JSON.stringify({ records: [{ topic: "t", partition: 0, offset: "1" }] });
  const text = await exchange(
    `POST /api/replays HTTP/1.1\r\nHost: 127.0.0.1\r\n${H2C}Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
    complete,
  );
  assert.match(text, /^HTTP\/1\.1 200 OK\r\n/, `answer: ${JSON.stringify(text)}`);
  assert.ok(text.includes(JSON.stringify(body).slice(1, -1)), text);
});

test("the connection stays usable: a second request on it is answered too", async () => {
  const req = (path: string) => `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${H2C}\r\n`;
  const text = await exchange(req("/one"), (t) => countResponses(t) >= 1);
  assert.equal(countResponses(text), 1, text);
  const both = await new Promise<string>((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let t = "";
    socket.setTimeout(5_000, () => (socket.destroy(), resolve(t)));
    socket.on("error", reject);
    socket.on("data", (c: Buffer) => {
      t += c.toString("latin1");
      if (countResponses(t) === 1 && !t.includes("/two")) socket.write(req("/two"));
      if (countResponses(t) === 2) (socket.destroy(), resolve(t));
    });
    socket.write(req("/one"));
  });
  assert.equal(countResponses(both), 2, both);
  assert.match(both, /"url":"\/two"/);
});

test("a WebSocket upgrade still reaches the upgrade listener", async () => {
  const before = upgrades;
  await exchange(
    "GET /_next/webpack-hmr HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n",
    () => false,
  );
  assert.equal(upgrades, before + 1);
});
