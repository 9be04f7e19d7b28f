import "server-only";
// Who is asking: a browser session cookie, or for scripts an API token (Bearer) or HTTP Basic.
// Sign-in fails closed: every read needs it unless FLOWTAP_AUTH=off (open mode), even when the
// users file has gone missing since the start. Operator actions always need an operator. The
// role is the users file's (or the token's) at this request, never one remembered from sign-in.
import { getConfig } from "../config";
import { HttpError } from "../http/respond";
import { getRuntime } from "../runtime";
import { verifyBearer } from "./bearer";
import { bumpEpoch, currentEpoch } from "./epochs";
import { verifyPassword } from "./password";
import { PasswordGateBusy, recentlyVerified, rememberVerified, withHashingSlot } from "./password-gate";
import { RefusalAuditLimit } from "./refusals";
import { SESSION_COOKIE, sessionSecret, signSession, verifySession } from "./session";
import { bearerToken } from "./tokens";
import { FailureThrottle } from "./throttle";
import { loadUsers, type User } from "./users";

const WINDOW_MS = 15 * 60_000;
/**
 * Failed sign-ins (form or Basic), per user name and per client address, and the audit limit
 * for refused attempts. One of each per process, on globalThis because Next.js bundles each
 * route apart. Names cannot be spoofed; the address comes from X-Forwarded-For (set by
 * Next.js from the socket, or by a proxy) and can be, so it is only the second, looser limit.
 * The price of the name limit: someone who knows a name can keep that user out for 15 minutes.
 */
const limits = ((globalThis as { __flowtapSignInLimits?: { name: FailureThrottle; address: FailureThrottle; refusals: RefusalAuditLimit } })
  .__flowtapSignInLimits ??= {
  name: new FailureThrottle({ maxFailures: 10, windowMs: WINDOW_MS, maxKeys: 10_000 }),
  address: new FailureThrottle({ maxFailures: 50, windowMs: WINDOW_MS, maxKeys: 10_000 }),
  refusals: new RefusalAuditLimit(),
});

/** Verified against when the name is unknown, so timing does not tell names apart. */
const DUMMY_HASH = "scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

export function clientAddress(req: Request): string {
  return req.headers.get("x-forwarded-for")?.split(",")[0]?.trim() || "unknown";
}

export interface Caller {
  user: User | null;
  via: "session" | "basic" | "token" | "none";
  /** Sign-in is asked for: the users file has users, or sign-in is on (FLOWTAP_AUTH) at all. */
  usersConfigured: boolean;
  /** Open mode (FLOWTAP_AUTH=off): reads need no sign-in. */
  open: boolean;
}

function cookie(req: Request, name: string): string | null {
  for (const part of (req.headers.get("cookie") ?? "").split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k !== name) continue;
    try {
      return decodeURIComponent(v.join("="));
    } catch {
      return null;
    }
  }
  return null;
}

let key: Buffer | undefined;
/** The session MAC key (derived once; boot() checks the secret before the first request). */
export function secret(): Buffer {
  const c = getConfig();
  return (key ??= sessionSecret(c.sessionSecret, c.dataDir));
}

const usersFile = () => loadUsers(getConfig().usersFile);
const findUser = (name: string) => usersFile()?.users.find((u) => u.name === name);

export async function checkPassword(name: string, password: string, address: string): Promise<User | null> {
  const now = Date.now();
  const wait = Math.max(limits.name.retryAfterMs(name, now), limits.address.retryAfterMs(address, now));
  if (wait > 0) throw new HttpError(429, `too many failed sign-ins; try again in ${Math.ceil(wait / 1000)} s`);
  const u = findUser(name);
  // Checked after the lock: a locked name must not get a fast right/wrong answer from the cache.
  if (u && recentlyVerified(name, password, u.password, now)) return { name: u.name, role: u.role };
  // Counted as failed before the (slow) check, in the same tick as the test above: guesses sent
  // in parallel cannot all pass the test before the first failure is counted.
  limits.name.fail(name, now);
  limits.address.fail(address, now);
  let ok: boolean;
  try {
    ok = await withHashingSlot(() => verifyPassword(password, u?.password ?? DUMMY_HASH));
  } catch (err) {
    if (!(err instanceof PasswordGateBusy)) throw err;
    // Nothing was checked: not a failure.
    limits.name.forgive(name, now);
    limits.address.forgive(address, now);
    throw new HttpError(503, err.message);
  }
  if (!u || !ok) return null;
  // A success takes back its own count only: earlier failures of the name stay counted.
  limits.name.forgive(name, now);
  limits.address.forgive(address, now);
  rememberVerified(name, password, u.password, now);
  const current = findUser(name);
  return current ? { name: current.name, role: current.role } : null;
}

async function identifyOnce(req: Request): Promise<Caller> {
  const open = getConfig().authOpen;
  // Without users and out of open mode, still "configured": a vanished file closes, never opens.
  const usersConfigured = (usersFile()?.users.length ?? 0) > 0 || !open;
  const auth = req.headers.get("authorization");
  if (auth?.toLowerCase().startsWith("bearer")) {
    const token = bearerToken(auth);
    const user = token ? await verifyBearer(token) : null;
    if (!user) throw new HttpError(401, "unknown or revoked API token");
    return { user, via: "token", usersConfigured, open };
  }
  if (auth?.toLowerCase().startsWith("basic ")) {
    const decoded = Buffer.from(auth.slice(6).trim(), "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    const user = colon > 0 ? await checkPassword(decoded.slice(0, colon), decoded.slice(colon + 1), clientAddress(req)) : null;
    if (!user) throw new HttpError(401, "wrong user name or password");
    return { user, via: "basic", usersConfigured, open };
  }
  const token = cookie(req, SESSION_COOKIE);
  const session = token ? verifySession(token, secret(), Date.now(), (name) => findUser(name)?.password ?? null) : null;
  if (session && session.epoch === (await currentEpoch(await getRuntime().store, session.name))) {
    const u = findUser(session.name);
    if (u) return { user: { name: u.name, role: u.role }, via: "session", usersConfigured, open };
  }
  return { user: null, via: "none", usersConfigured, open };
}

/**
 * One identification per request, however many checks ask (a refused replay used to identify
 * twice: once to refuse, once to name the actor in the audit, counting a wrong password twice).
 */
const identified = new WeakMap<Request, Promise<Caller>>();
export function identify(req: Request): Promise<Caller> {
  let caller = identified.get(req);
  if (!caller) identified.set(req, (caller = identifyOnce(req)));
  return caller;
}

/** Reads: any signed-in user; anyone in open mode (FLOWTAP_AUTH=off). */
export async function requireViewer(req: Request): Promise<Caller> {
  const caller = await identify(req);
  if (!caller.open && !caller.user) throw new HttpError(401, "sign in first");
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
  if (!caller.user) {
    if (!caller.usersConfigured) throw new HttpError(403, "no users are configured: add an operator with `npm run user -- add NAME --role operator`");
    throw new HttpError(401, "sign in as an operator first");
  }
  if (caller.user.role !== "operator") throw new HttpError(403, `${caller.user.name} is a viewer; replay needs the operator role`);
  return caller.user;
}

/** A session cookie value for a user who has just given the right password. */
export async function startSession(user: User): Promise<string> {
  const u = findUser(user.name);
  if (!u) throw new HttpError(401, "wrong user name or password");
  const epoch = await currentEpoch(await getRuntime().store, u.name);
  return signSession({ name: u.name, epoch, passwordHash: u.password }, secret(), Date.now());
}

/** Sign-out: ends every session of the cookie's user (copies too) by moving to a new epoch. */
export async function endSession(req: Request): Promise<void> {
  const caller = await identify(req).catch(() => null);
  if (caller?.via === "session" && caller.user) await bumpEpoch(await getRuntime().store, caller.user.name);
}

/**
 * Writes the audit row of a refused attempt, unless this client (or everyone together) has
 * written too many lately. `write` is the caller's writer, e.g. the replay ledger's.
 */
export async function auditRefusal(
  req: Request,
  action: string,
  err: HttpError,
  write: (entry: { actor: string; action: string; outcome: string; detail: unknown }) => Promise<void>,
): Promise<void> {
  const take = limits.refusals.take(clientAddress(req), Date.now());
  if (!take.write) return;
  // The identification made for the refusal itself, not a second one.
  const actor = await identify(req).then((c) => c.user?.name ?? "anonymous", () => "unknown");
  const detail = { status: err.status, reason: err.message, ...(take.suppressed ? { suppressed: take.suppressed } : {}) };
  await write({ actor, action, outcome: "refused", detail });
}
