// A flow URL with a broken percent-escape (a correlation ID pasted half-encoded from a log)
// would make Next.js's router answer a bare 500 before any page runs. Re-encode the stray
// `%` and send the browser to the URL it meant.
import { NextResponse, type NextRequest } from "next/server";

export function proxy(req: NextRequest): NextResponse {
  const raw = req.nextUrl.pathname;
  try {
    decodeURIComponent(raw);
    return NextResponse.next();
  } catch {
    const url = req.nextUrl.clone();
    url.pathname = raw.replace(/%/g, "%25");
    return NextResponse.redirect(url, 308);
  }
}

export const config = { matcher: ["/flows/:path*", "/api/flows/:path*", "/dlq/:path*", "/api/dlq/:path*", "/lag/:path*"] };
