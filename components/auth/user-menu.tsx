"use client";
// Who is signed in, and the way out. Shows nothing when Flowtap has no users configured.
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { getSession, signOut } from "./session-api";

export function useSession() {
  return useQuery({ queryKey: ["session"], queryFn: ({ signal }) => getSession(signal), staleTime: 60_000, refetchOnWindowFocus: false });
}

export function UserMenu() {
  const { data } = useSession();
  if (!data?.usersConfigured) return null;
  if (!data.user) return <Link href="/signin">Sign in</Link>;
  return (
    <span className="user-menu" data-testid="user-menu">
      {data.user.name} <span className="muted">({data.user.role})</span>{" "}
      <Link href="/audit">Audit</Link>{" "}
      <button type="button" className="link-button" onClick={() => void signOut().then(() => window.location.assign("/signin"))}>
        Sign out
      </button>
    </span>
  );
}
