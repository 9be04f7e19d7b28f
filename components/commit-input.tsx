"use client";
import { useState, type InputHTMLAttributes } from "react";

/**
 * A field that reports its value on Enter or when left, not on every key (each report is a new
 * URL and a request); `eager` reports each complete value at once (a date picked from the
 * calendar should apply without a click elsewhere); `trim` reports it without surrounding spaces
 * (the dead-letter filters; the topic browser's "value contains" keeps them).
 */
export function CommitInput({
  value, onCommit, eager = false, trim = false, ...rest
}: { value: string; onCommit: (v: string) => void; eager?: boolean; trim?: boolean } & Omit<InputHTMLAttributes<HTMLInputElement>, "value" | "onChange">) {
  const [draft, setDraft] = useState(value);
  const [seen, setSeen] = useState(value);
  // The URL changed under us (back button, "Clear filters"): show what it says now.
  if (seen !== value) {
    setSeen(value);
    setDraft(value);
  }
  const commit = (raw = draft) => {
    const v = trim ? raw.trim() : raw;
    if (v !== value) onCommit(v);
  };
  return (
    <input
      {...rest}
      value={draft}
      onChange={(e) => {
        setDraft(e.target.value);
        if (eager && e.target.value) commit(e.target.value);
      }}
      onBlur={() => commit()}
      onKeyDown={(e) => {
        if (e.key === "Enter") commit();
      }}
    />
  );
}
