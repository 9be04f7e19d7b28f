// Binary payloads and keys arrive as { base64 }: show them the way hexdump -C would.

export function base64ToBytes(b64: string): Uint8Array {
  try {
    const bin = atob(b64);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  } catch {
    return new Uint8Array(0);
  }
}

/** "00000000  08 96 01 ff fe 00 12                             |.......|", like hexdump -C. */
export function hexDump(bytes: Uint8Array, perLine = 16, maxBytes = 4096): string {
  const lines: string[] = [];
  const n = Math.min(bytes.length, maxBytes);
  for (let off = 0; off < n; off += perLine) {
    const chunk = bytes.subarray(off, Math.min(off + perLine, n));
    const hex = Array.from(chunk, (b) => b.toString(16).padStart(2, "0")).join(" ");
    const ascii = Array.from(chunk, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : ".")).join("");
    lines.push(`${off.toString(16).padStart(8, "0")}  ${hex.padEnd(perLine * 3 - 1)}  |${ascii}|`);
  }
  if (bytes.length > n) lines.push(`… ${bytes.length - n} more bytes`);
  return lines.join("\n");
}

export function isBase64Value(v: unknown): v is { base64: string } {
  return typeof v === "object" && v !== null && typeof (v as { base64?: unknown }).base64 === "string";
}

/** A record key as one line of text; binary keys keep their base64 and say so. */
export function keyText(key: string | { base64: string } | null): string {
  if (key === null) return "";
  return typeof key === "string" ? key : `base64:${key.base64}`;
}
