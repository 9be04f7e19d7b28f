"use client";
// One box for every ID an alert may hand you. Enter opens the flow straight away when exactly
// one flow matches; otherwise the home page lists what matched.
import { useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { flowUrl, searchIndex } from "./api";

/** True when a key press belongs to a field the user is typing in. */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

export function SearchBox({ initial = "", compact = false }: { initial?: string; compact?: boolean }) {
  const [value, setValue] = useState(initial);
  const [pending, setPending] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const router = useRouter();
  const queryClient = useQueryClient();

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
      e.preventDefault();
      input.current?.focus();
      input.current?.select();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const q = value.trim();
    if (!q) {
      router.push("/");
      return;
    }
    setPending(true);
    try {
      const results = await queryClient.fetchQuery({ queryKey: ["search", q], queryFn: ({ signal }) => searchIndex(q, signal) });
      const flows = results.filter((r) => r.matched === "flow");
      if (flows.length === 1 && flows[0]) {
        router.push(flowUrl(flows[0].correlationId));
        return;
      }
    } catch {
      // The results page shows the error in full.
    } finally {
      setPending(false);
    }
    router.push(`/?q=${encodeURIComponent(q)}`);
  }

  return (
    <form role="search" className={compact ? "search search-compact" : "search"} onSubmit={(e) => void submit(e)}>
      <input
        ref={input}
        data-testid="search-input"
        type="search"
        value={value}
        onChange={(e) => setValue(e.target.value)}
        placeholder="Correlation ID, event ID, trace ID or record key"
        aria-label="Search by correlation ID, event ID, trace ID or record key"
        spellCheck={false}
        autoComplete="off"
        autoCapitalize="off"
      />
      <button type="submit" disabled={pending}>
        {pending ? "Searching…" : "Find"}
      </button>
      {!compact && (
        <span className="muted small">
          press <span className="kbd">/</span> to search from anywhere; exact match
        </span>
      )}
    </form>
  );
}
