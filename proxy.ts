// Runs before every page, API call and /metrics: the Host check, a strict, per-request
// Content-Security-Policy, and a rescue for URLs with a broken percent-escape.
//
// Host: DNS rebinding points an attacker's name at Flowtap's address, making the attacker's
// page same-origin with Flowtap in a victim's browser. The browser still sends the attacker's
// name as Host, so only the names in FLOWTAP_ALLOWED_HOSTS (default: the bind address and its
// loopback names) are served; others get 421 Misdirected Request (server/auth/hosts.ts).
//
// CSP: scripts run only with this request's nonce ('strict-dynamic' lets those load their
// chunks); Next.js reads the nonce from the request's policy header and puts it on its own
// inline scripts. Payloads, keys and headers are attacker-controlled text shown in the page:
// even markup that slipped through could run nothing.
//
// Broken escapes: a correlation ID pasted half-encoded from a log would make Next.js's router
// answer a bare 500 before any page runs; re-encode the stray `%` and redirect.
import { NextResponse, type NextRequest } from "next/server";
import { allowedHostsFor, hostAllowed, parseAllowedHosts } from "./server/auth/hosts";

/** The allowed hosts, recomputed only when the variables change (boot() has validated them). */
let allowedCache: { key: string; hosts: string[] } | null = null;
function allowedHosts(): string[] {
  const env = [process.env.FLOWTAP_ALLOWED_HOSTS ?? "", process.env.__NEXT_PRIVATE_ORIGIN ?? "", process.env.PORT ?? ""] as const;
  const key = env.join("\n");
  if (allowedCache?.key !== key) {
    let explicit: string[] | null = null;
    try {
      explicit = env[0].trim() ? parseAllowedHosts(env[0]) : null;
    } catch {
      explicit = []; // unparseable: allow nothing rather than everything
    }
    allowedCache = { key, hosts: allowedHostsFor(explicit, env[1] || undefined, env[2] || undefined) };
  }
  return allowedCache.hosts;
}

function policy(nonce: string, dev: boolean): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "script-src-attr 'none'",
    `style-src 'self'${dev ? " 'unsafe-inline'" : ""}`,
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
  ].join("; ");
}

export function proxy(req: NextRequest): NextResponse {
  const host = req.headers.get("host");
  if (!hostAllowed(host, allowedHosts())) {
    return new NextResponse(`421 Misdirected Request: this server does not answer to the host ${JSON.stringify(host ?? "")}; list it in FLOWTAP_ALLOWED_HOSTS\n`, {
      status: 421,
      headers: { "content-type": "text/plain; charset=utf-8" },
    });
  }
  const raw = req.nextUrl.pathname;
  try {
    decodeURIComponent(raw);
  } catch {
    const url = req.nextUrl.clone();
    url.pathname = raw.replace(/%/g, "%25");
    return NextResponse.redirect(url, 308);
  }
  if (raw.startsWith("/api/") || raw === "/metrics") return NextResponse.next();
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const csp = policy(nonce, process.env.NODE_ENV === "development");
  const headers = new Headers(req.headers);
  headers.set("content-security-policy", csp);
  const res = NextResponse.next({ request: { headers } });
  res.headers.set("content-security-policy", csp);
  return res;
}

export const config = {
  matcher: [{ source: "/((?!_next/static|_next/image|favicon.ico|icon.svg|apple-touch-icon.png).*)" }],
};
