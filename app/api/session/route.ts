import { getConfig } from "@/server/config";
import { handle, HttpError, json, parseBody } from "@/server/http/respond";
import { signInBody } from "@/server/contract/api";
import { checkOrigin, checkPassword, clientAddress, endSession, identify, startSession } from "@/server/auth/authenticate";
import { SESSION_COOKIE, SESSION_TTL_S } from "@/server/auth/session";

const cookieFlags = (maxAge: number) =>
  `Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${getConfig().secureCookies ? "; Secure" : ""}`;

/** Who is signed in (null), and whether sign-in is needed at all. */
export function GET(req: Request): Promise<Response> {
  return handle(async () => {
    const caller = await identify(req);
    return json({ user: caller.user, usersConfigured: caller.usersConfigured });
  });
}

export function POST(req: Request): Promise<Response> {
  return handle(async () => {
    checkOrigin(req);
    const { name, password } = await parseBody(signInBody, req);
    const user = await checkPassword(name, password, clientAddress(req));
    if (!user) throw new HttpError(401, "wrong user name or password");
    const token = await startSession(user);
    return json({ user }, { headers: { "set-cookie": `${SESSION_COOKIE}=${token}; ${cookieFlags(SESSION_TTL_S)}` } });
  });
}

/** Signs out: this session and every copy of it (and the user's other sessions) stop working. */
export function DELETE(req: Request): Promise<Response> {
  return handle(async () => {
    checkOrigin(req);
    await endSession(req);
    return json({ user: null }, { headers: { "set-cookie": `${SESSION_COOKIE}=; ${cookieFlags(0)}` } });
  });
}
