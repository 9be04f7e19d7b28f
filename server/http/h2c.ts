import "server-only";
// Answers clients that ask to upgrade a plain-http connection to HTTP/2 (`Upgrade: h2c`, sent
// by Java's built-in HttpClient by default) as ordinary HTTP/1.1 requests.
//
// Why they got no answer: Node's http server hands a request with `Connection: Upgrade` to
// its 'upgrade' listeners instead of 'request' whenever one is registered, and `next start`
// registers one (for its own rewrites, and dev reloads). Next.js then ends the socket without
// a response. Node decides by reading `req.upgrade` once the headers are in; reading it as
// false for h2c makes Node treat the request as it treats any upgrade with no listener: a
// normal request, answered in HTTP/1.1. RFC 9110 (7.8) lets a server ignore Upgrade.
// WebSocket upgrades are left alone.
import { IncomingMessage } from "node:http";

const RAW = Symbol.for("flowtap.upgrade");
const INSTALLED = Symbol.for("flowtap.ignoreH2c");

type Message = IncomingMessage & { [RAW]?: boolean | null };

/** A server-side request whose only offered protocol is h2c. */
function asksForH2cOnly(msg: Message): boolean {
  const offered = msg.headers?.upgrade;
  if (typeof msg.method !== "string" || msg.method === "CONNECT" || typeof offered !== "string") return false;
  return offered.split(",").every((p) => p.trim().toLowerCase() === "h2c");
}

/** Installs the rule for the whole process; idempotent. boot() calls it at start. */
export function ignoreH2cUpgrades(): void {
  const proto = IncomingMessage.prototype as unknown as Record<symbol, boolean>;
  if (proto[INSTALLED]) return;
  proto[INSTALLED] = true;
  // IncomingMessage sets `this.upgrade` by assignment (in its constructor and in the parser),
  // so an accessor on the prototype sees every write.
  Object.defineProperty(IncomingMessage.prototype, "upgrade", {
    configurable: true,
    get(this: Message) {
      const raw = this[RAW] ?? null;
      return raw && asksForH2cOnly(this) ? false : raw;
    },
    set(this: Message, value: boolean | null) {
      this[RAW] = value;
    },
  });
}
