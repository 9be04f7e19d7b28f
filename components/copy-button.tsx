"use client";
import { useEffect, useState } from "react";

type CopyState = "idle" | "copied" | "failed";

// navigator.clipboard exists only in secure contexts (HTTPS or localhost); Flowtap is often
// reached over plain HTTP inside a cluster, so fall back to a selected textarea.
function legacyCopy(text: string): boolean {
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.className = "offscreen";
  document.body.append(area);
  area.select();
  let ok = false;
  try {
    ok = document.execCommand("copy");
  } catch {
    ok = false;
  }
  area.remove();
  return ok;
}

async function copyText(text: string): Promise<boolean> {
  if (typeof navigator !== "undefined" && navigator.clipboard?.writeText) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      return legacyCopy(text);
    }
  }
  return legacyCopy(text);
}

export function CopyButton({ text, label = "Copy", what }: { text: string; label?: string; what: string }) {
  const [state, setState] = useState<CopyState>("idle");
  useEffect(() => {
    if (state === "idle") return;
    const t = setTimeout(() => setState("idle"), 2_000);
    return () => clearTimeout(t);
  }, [state]);
  const title =
    state === "failed" ? "The browser refused the clipboard here (it needs HTTPS or localhost): select the text and copy it by hand" : `Copy ${what}`;
  return (
    <button type="button" className="copy" title={title} aria-label={`Copy ${what}`} onClick={() => void copyText(text).then((ok) => setState(ok ? "copied" : "failed"))}>
      {state === "copied" ? "Copied" : state === "failed" ? "Copy failed" : label}
    </button>
  );
}
