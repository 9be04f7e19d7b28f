// Runs before every page: a strict, per-request Content-Security-Policy, and a rescue for
// URLs with a broken percent-escape.
//
// CSP: scripts run only with this request's nonce ('strict-dynamic' lets those load their
// chunks); Next.js reads the nonce from the request's policy header and puts it on its own
// inline scripts. Payloads, keys and headers are attacker-controlled text shown in the page:
// even markup that slipped through could run nothing.
//
// Broken escapes: a correlation ID pasted half-encoded from a log would make Next.js's router
// answer a bare 500 before any page runs; re-encode the stray `%` and redirect.
import { NextResponse, type NextRequest } from "next/server";

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
  matcher: [{ source: "/((?!_next/static|_next/image|favicon.ico).*)" }],
};
