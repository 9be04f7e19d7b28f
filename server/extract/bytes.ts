// Byte-level decoding shared by headers, keys, values and dead-letter integers.

const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const ascii = new TextDecoder("utf-8");

/** The text of `bytes` when they are valid UTF-8 and contain no NUL; else null (show as base64). */
export function utf8Text(bytes: Uint8Array): string | null {
  if (bytes.indexOf(0) !== -1) return null;
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return null;
  }
}

/** Decodes the longest prefix of valid UTF-8 `bytes` that fits in `maxBytes` without cutting a character. */
export function utf8Prefix(bytes: Uint8Array, maxBytes: number): string {
  let end = Math.min(maxBytes, bytes.length);
  // Back up over continuation bytes (10xxxxxx) to the start of the character at `end`.
  while (end > 0 && end < bytes.length && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
  return strictUtf8.decode(bytes.subarray(0, end));
}

const B64 = new TextEncoder().encode("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
const PAD = 0x3d;

function b64(sextet: number): number {
  return B64[sextet & 0x3f] ?? PAD;
}

/** Standard padded base64. */
export function toBase64(bytes: Uint8Array): string {
  const n = bytes.length;
  const out = new Uint8Array(Math.ceil(n / 3) * 4);
  let o = 0;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const t = ((bytes[i] ?? 0) << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out[o++] = b64(t >> 18);
    out[o++] = b64(t >> 12);
    out[o++] = b64(t >> 6);
    out[o++] = b64(t);
  }
  if (i < n) {
    const t = ((bytes[i] ?? 0) << 16) | (i + 1 < n ? (bytes[i + 1] ?? 0) << 8 : 0);
    out[o++] = b64(t >> 18);
    out[o++] = b64(t >> 12);
    out[o++] = i + 1 < n ? b64(t >> 6) : PAD;
    out[o++] = PAD;
  }
  return ascii.decode(out);
}

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0"));

/** Lowercase hyphenated UUID text of 16 bytes. */
export function uuidFromBytes(bytes: Uint8Array): string {
  let hex = "";
  for (const b of bytes) hex += HEX[b];
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** Signed big-endian integer of 1–8 bytes, as Java's ByteBuffer and BigInteger.toByteArray write them. */
export function bigEndianInt(bytes: Uint8Array): bigint | null {
  if (bytes.length < 1 || bytes.length > 8) return null;
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  if (((bytes[0] ?? 0) & 0x80) !== 0) v -= 1n << BigInt(bytes.length * 8);
  return v;
}

const DECIMAL = /^\s*-?\d{1,20}\s*$/;

/** Integer written as decimal text; null for anything else. */
export function decimalInt(text: string): bigint | null {
  return DECIMAL.test(text) ? BigInt(text.trim()) : null;
}

export function isAsciiDigits(bytes: Uint8Array): boolean {
  if (bytes.length === 0) return false;
  for (const b of bytes) if (b < 0x30 || b > 0x39) return false;
  return true;
}
