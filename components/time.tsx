"use client";
import { formatLocal, formatRelative, formatUtc } from "./time-format";
import { useNow } from "./use-now";

/** "5 min ago", with the local and UTC times on hover. */
export function Ago({ iso }: { iso: string }) {
  const now = useNow();
  return (
    <time dateTime={iso} title={`${formatLocal(iso)} local\n${formatUtc(iso)}`}>
      {now === 0 ? formatLocal(iso) : formatRelative(iso, now)}
    </time>
  );
}

/** Relative and absolute together, for the places where either may be what you came for. */
export function AgoAndAt({ iso }: { iso: string }) {
  return (
    <span className="when">
      <Ago iso={iso} /> <span className="muted mono">{formatLocal(iso)}</span>
    </span>
  );
}
