"use client";
import { useState, type FormEvent } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { useSearchParams } from "next/navigation";
import { errorText } from "../api";
import { safeNext, signIn } from "./session-api";

export function SignInForm() {
  const params = useSearchParams();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    try {
      await signIn(String(form.get("name") ?? ""), String(form.get("password") ?? ""));
      // A full navigation: every cached answer was fetched as someone else.
      queryClient.clear();
      window.location.assign(safeNext(params.get("next")));
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  };
  return (
    <form className="signin" onSubmit={(e) => void submit(e)} data-testid="signin-form">
      <h1>Sign in to Flowtap</h1>
      <label>
        User
        <input name="name" autoComplete="username" required autoFocus data-testid="signin-name" />
      </label>
      <label>
        Password
        <input name="password" type="password" autoComplete="current-password" required data-testid="signin-password" />
      </label>
      {error && (
        <p role="alert" className="signin-error">
          {error}
        </p>
      )}
      <button type="submit" disabled={busy} data-testid="signin-submit">
        {busy ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
