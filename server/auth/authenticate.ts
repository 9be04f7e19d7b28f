import "server-only";
// Who is asking: a browser session cookie, or HTTP Basic for scripts. With no users
// configured the read-only views are open and operator actions are refused.
import { getConfig } from "../config";
import { HttpError } from "../http/respond";
import { verifyPassword } from "./password";
import { SESSION_COOKIE, sessionSecret, verifySession } from "./session";
import { loadUsers, type User } from "./users";

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

export async function checkPassword(name: string, password: string): Promise<User | null> {
  const file = loadUsers(getConfig().usersFile);
  const u = file?.users.find((x) => x.name === name);
  // Verify against something even for an unknown name, so timing does not tell names apart.
  const ok = await verifyPassword(password, u?.password ?? "scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
  return u && ok ? { name: u.name, role: u.role } : null;
}

export async function identify(req: Request): Promise<Caller> {
  const usersConfigured = (loadUsers(getConfig().usersFile)?.users.length ?? 0) > 0;
  const auth = req.headers.get("authorization");
  if (auth?.toLowerCase().startsWith("basic ")) {
    const decoded = Buffer.from(auth.slice(6).trim(), "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    const user = colon > 0 ? await checkPassword(decoded.slice(0, colon), decoded.slice(colon + 1)) : null;
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
