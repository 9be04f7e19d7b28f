import "server-only";
// Who is asking: a browser session cookie, or HTTP Basic for scripts. With no users
// configured the read-only views are open and operator actions are refused.
import { getConfig } from "../config";
import { HttpError } from "../http/respond";
import { verifyPassword } from "./password";
import { SESSION_COOKIE, sessionSecret, verifySession } from "./session";
import { FailureThrottle } from "./throttle";
import { loadUsers, type User } from "./users";

const WINDOW_MS = 15 * 60_000;
/**
 * Failed sign-ins (form or Basic), per user name and per client address. One throttle per
 * process, on globalThis because Next.js bundles each route apart. Names cannot be spoofed;
 * the address comes from X-Forwarded-For (set by Next.js from the socket, or by a proxy) and
 * can be, so it is only the second, looser limit. The price of the name limit: someone who
 * knows a name can keep that user out for 15 minutes at a time.
 */
const throttles = ((globalThis as { __flowtapSignInThrottles?: { name: FailureThrottle; address: FailureThrottle } })
  .__flowtapSignInThrottles ??= {
  name: new FailureThrottle({ maxFailures: 10, windowMs: WINDOW_MS, maxKeys: 10_000 }),
  address: new FailureThrottle({ maxFailures: 50, windowMs: WINDOW_MS, maxKeys: 10_000 }),
});

export function clientAddress(req: Request): string {
  return req.headers.get("x-forwarded-for")?.split(",")[0]?.trim() || "unknown";
}

export interface Caller {
  user: User | null;
  via: "session" | "basic" | "none";
  usersConfigured: boolean;
}

function cookie(req: Request, name: string): string | null {
  for (const part of (req.headers.get("cookie") ?? "").split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return decodeURIComponent(v.join("="));
  }
  return null;
}

export function secret(): Buffer {
  const c = getConfig();
  return sessionSecret(c.sessionSecret, c.dataDir);
}

export async function checkPassword(name: string, password: string, address: string): Promise<User | null> {
  const now = Date.now();
  const wait = Math.max(throttles.name.retryAfterMs(name, now), throttles.address.retryAfterMs(address, now));
  if (wait > 0) throw new HttpError(429, `too many failed sign-ins; try again in ${Math.ceil(wait / 1000)} s`);
  // Counted as failed before the (slow) check, in the same tick as the test above: guesses sent
  // in parallel cannot all pass the test before the first failure is counted.
  throttles.name.fail(name, now);
  throttles.address.fail(address, now);
  const file = loadUsers(getConfig().usersFile);
  const u = file?.users.find((x) => x.name === name);
  // Verify against something even for an unknown name, so timing does not tell names apart.
  const ok = await verifyPassword(password, u?.password ?? "scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
  if (!u || !ok) return null;
  throttles.name.succeed(name);
  throttles.address.forgive(address, now);
  return { name: u.name, role: u.role };
}

export async function identify(req: Request): Promise<Caller> {
  const usersConfigured = (loadUsers(getConfig().usersFile)?.users.length ?? 0) > 0;
  const auth = req.headers.get("authorization");
  if (auth?.toLowerCase().startsWith("basic ")) {
    const decoded = Buffer.from(auth.slice(6).trim(), "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    const user = colon > 0 ? await checkPassword(decoded.slice(0, colon), decoded.slice(colon + 1), clientAddress(req)) : null;
    if (!user) throw new HttpError(401, "wrong user name or password");
    return { user, via: "basic", usersConfigured };
  }
  const token = cookie(req, SESSION_COOKIE);
  const user = token ? verifySession(token, secret(), Date.now()) : null;
  return { user, via: user ? "session" : "none", usersConfigured };
}

/** Reads: anyone when no users are configured, else any signed-in user. */
export async function requireViewer(req: Request): Promise<Caller> {
  const caller = await identify(req);
  if (caller.usersConfigured && !caller.user) throw new HttpError(401, "sign in first");
  return caller;
}

/** A state-changing request from a browser must come from our own origin. */
export function checkOrigin(req: Request): void {
  const origin = req.headers.get("origin");
  const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host");
  if (origin === null) {
    if (req.headers.get("cookie")?.includes(SESSION_COOKIE)) throw new HttpError(403, "refused: a browser request without an Origin header");
    return;
  }
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    throw new HttpError(403, "refused: malformed Origin header");
  }
  if (originHost !== host) throw new HttpError(403, `refused: cross-site request from ${origin}`);
}

/** Operator actions: a signed-in operator, from our own origin. */
export async function requireOperator(req: Request): Promise<User> {
  checkOrigin(req);
  const caller = await identify(req);
  if (!caller.usersConfigured) throw new HttpError(403, "no users are configured: add an operator with `npm run user -- add NAME --role operator`");
  if (!caller.user) throw new HttpError(401, "sign in as an operator first");
  if (caller.user.role !== "operator") throw new HttpError(403, `${caller.user.name} is a viewer; replay needs the operator role`);
  return caller.user;
}
