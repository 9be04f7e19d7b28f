// The Host check against DNS rebinding: a hostile page whose name the attacker points at
// 127.0.0.1 (or at Flowtap's address) is same-origin with Flowtap in the victim's browser and
// could read every API. It cannot choose the Host header, though: the browser sends the
// attacker's name. So only the names the operator allows are answered (421 otherwise).
// Pure: proxy.ts runs it on every request, config.ts validates the variable with it.

const ENTRY = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\.?|\[[0-9a-f:.]+\])(?::(\d{1,5}))?$/;

/** Parses FLOWTAP_ALLOWED_HOSTS ("host[:port],…", lower-cased); throws a one-line Error on a bad entry. */
export function parseAllowedHosts(text: string): string[] {
  const entries = text.split(",").map((s) => s.trim().toLowerCase());
  if (entries.every((e) => e === "")) throw new Error("must list at least one host[:port]");
  return entries.filter((e) => e !== "").map((e) => {
    const m = ENTRY.exec(e);
    if (!m || (m[1] !== undefined && (Number(m[1]) < 1 || Number(m[1]) > 65535))) {
      throw new Error(`${JSON.stringify(e)} is not a host[:port] (no scheme, no path)`);
    }
    return e;
  });
}

const LOOPBACK = ["localhost", "127.0.0.1", "[::1]"];

/**
 * The allowed names: the explicit list, or the address the server is bound to and its loopback
 * names, on its port. `origin` is what `next start` records once it listens
 * (__NEXT_PRIVATE_ORIGIN, e.g. http://127.0.0.1:3000; "localhost" when bound to all
 * interfaces), `port` the PORT it records beside it.
 */
export function allowedHostsFor(explicit: string[] | null, origin: string | undefined, port: string | undefined): string[] {
  if (explicit) return explicit;
  let host = "localhost";
  let p = port || "3000";
  if (origin) {
    try {
      const u = new URL(origin);
      host = u.hostname.toLowerCase();
      p = u.port || p;
    } catch {
      // not a URL: keep the loopback default
    }
  }
  return [...new Set([host, ...LOOPBACK])].map((h) => `${h}:${p}`);
}

/** True when the Host header names an allowed host (an entry without a port allows any port). */
export function hostAllowed(hostHeader: string | null, allowed: string[]): boolean {
  if (!hostHeader) return false;
  const host = hostHeader.trim().toLowerCase();
  const m = /^(.*?)(?::(\d+))?$/.exec(host);
  const name = m?.[1] ?? host;
  const port = m?.[2] ?? "80";
  return allowed.some((a) => {
    const am = /^(.*?)(?::(\d+))?$/.exec(a);
    if (!am || am[1] !== name) return false;
    return am[2] === undefined || am[2] === port;
  });
}
