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

/** Only same-site paths: a sign-in link must not be able to send anyone elsewhere. */
export function safeNext(next: string | null): string {
  return next && next.startsWith("/") && !next.startsWith("//") ? next : "/";
}
