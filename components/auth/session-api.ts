// The browser's side of sign-in: who am I, sign in, sign out.
import type { User } from "@/server/auth/users";
import { ApiError, getJson } from "../api";

export interface SessionInfo {
  user: User | null;
  usersConfigured: boolean;
}

export const getSession = (signal?: AbortSignal) => getJson<SessionInfo>("/api/session", signal);

async function send(method: "POST" | "DELETE", body?: unknown): Promise<SessionInfo["user"]> {
  const res = await fetch("/api/session", {
    method,
    headers: { "content-type": "application/json", accept: "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json().catch(() => null)) as { user?: User | null; error?: string } | null;
  if (!res.ok) throw new ApiError(res.status, json?.error ?? `HTTP ${res.status}`);
  return json?.user ?? null;
}

export const signIn = (name: string, password: string) => send("POST", { name, password });
export const signOut = () => send("DELETE");

/**
 * Where to go after signing in: `next` resolved the way the browser will resolve it, kept only
 * when it stays on this origin (a sign-in link must not send anyone elsewhere). Prefix checks
 * are not enough: browsers read `/\evil.com` as `//evil.com`, and drop tabs and newlines.
 * The answer is an absolute URL, so nothing is left for the browser to reinterpret.
 */
export function safeNext(next: string | null, origin: string = window.location.origin): string {
  const home = new URL("/", origin).href;
  if (!next) return home;
  let url: URL;
  try {
    url = new URL(next, origin);
  } catch {
    return home;
  }
  return url.origin === new URL(origin).origin ? url.href : home;
}
