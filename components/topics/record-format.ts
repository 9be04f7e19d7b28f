// A record's value as one short line for the list; the detail panel shows it in full.
import type { EventJson } from "@/server/flows/event-json";

const PREVIEW_CHARS = 160;

export function valuePreview(r: Pick<EventJson, "valueKind" | "value" | "tombstone" | "size">): string {
  if (r.valueKind === "null") return r.tombstone ? "(tombstone)" : "(no value)";
  if (r.valueKind === "binary") return `(${r.size.toLocaleString("en-US")} bytes, binary)`;
  const text = typeof r.value === "string" ? r.value : JSON.stringify(r.value);
  const flat = (text ?? "").replace(/\s+/g, " ");
  return flat.length > PREVIEW_CHARS ? `${flat.slice(0, PREVIEW_CHARS)}…` : flat;
}
