import "server-only";
// Browser sessions: "v2.name.epoch.expiry.mac", HMAC-SHA256 with a key derived from
// FLOWTAP_SESSION_SECRET or, failing that, from a secret generated once into the data folder.
// The cookie carries no role: the role is read from the users file at each request. The MAC
// also covers the user's current password hash, so a password change or the user's removal
// ends every session at once; the epoch (server/auth/epochs.ts) ends them at sign-out.
import { closeSync, existsSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from "node:crypto";
import { join } from "node:path";
import { ConfigError } from "../config";

export const SESSION_COOKIE = "flowtap_session";
export const SESSION_TTL_S = 12 * 3600;
/** Below this the key can be brute-forced offline from any viewer's own cookie. */
export const MIN_SECRET_BYTES = 32;

/** The HMAC key: HKDF of the secret, so a human-chosen secret is never the key itself. */
function deriveKey(secret: Buffer): Buffer {
  return Buffer.from(hkdfSync("sha256", secret, "flowtap", "session cookie mac v2", 32));
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

function readSecretFile(path: string): Buffer {
  const text = readFileSync(path, "utf8").trim();
  const bytes = BASE64.test(text) ? Buffer.from(text, "base64") : Buffer.alloc(0);
  if (bytes.length < MIN_SECRET_BYTES) {
    const what = text.length === 0 ? "is empty" : BASE64.test(text) ? `holds ${bytes.length} bytes` : "is not base64";
    throw new ConfigError(
      `Invalid configuration: ${path} ${what}; a session secret needs at least ${MIN_SECRET_BYTES} random bytes (base64). Delete the file to have a new one made, or set FLOWTAP_SESSION_SECRET`,
    );
  }
  return bytes;
}

/**
 * Writes a new secret so that no reader can ever see it half-written (a crash, a full disk):
 * a temporary file, flushed, then linked into place. A link, not a rename, because a rename
 * would replace a secret another process has just made and is already signing with.
 */
function createSecretFile(dataDir: string, path: string): void {
  mkdirSync(dataDir, { recursive: true });
  const tmp = join(dataDir, `.session-secret.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  const fd = openSync(tmp, "wx", 0o600);
  try {
    writeSync(fd, `${randomBytes(MIN_SECRET_BYTES).toString("base64")}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(tmp, path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // A file system without hard links: rename, unless another process made it meanwhile.
    if (code === "EPERM" || code === "ENOTSUP" || code === "EOPNOTSUPP" || code === "ENOSYS") {
      if (!existsSync(path)) renameSync(tmp, path);
    } else if (code !== "EEXIST") {
      throw err; // EEXIST: another process made it first: use theirs
    }
  } finally {
    if (existsSync(tmp)) unlinkSync(tmp);
  }
  // The new name must survive a crash too.
  const dir = openSync(dataDir, "r");
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}

/**
 * The session MAC key. Throws ConfigError (one line naming the culprit) for a secret shorter
 * than 32 bytes: boot() calls this so a bad secret stops the start, not the first sign-in.
 */
export function sessionSecret(explicit: string | null, dataDir: string): Buffer {
  if (explicit !== null) {
    if (Buffer.byteLength(explicit, "utf8") < MIN_SECRET_BYTES) {
      throw new ConfigError(`Invalid configuration: FLOWTAP_SESSION_SECRET: must be at least ${MIN_SECRET_BYTES} bytes`);
    }
    return deriveKey(Buffer.from(explicit, "utf8"));
  }
  const path = join(dataDir, "session-secret");
  try {
    return deriveKey(readSecretFile(path));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  createSecretFile(dataDir, path);
  return deriveKey(readSecretFile(path));
}

const mac = (key: Buffer, payload: string, passwordHash: string) =>
  createHmac("sha256", key).update(`${payload}\n${passwordHash}`).digest("base64url");

export function signSession(session: { name: string; epoch: number; passwordHash: string }, key: Buffer, nowMs: number): string {
  const expiry = Math.floor(nowMs / 1000) + SESSION_TTL_S;
  const payload = `v2.${Buffer.from(session.name).toString("base64url")}.${session.epoch}.${expiry}`;
  return `${payload}.${mac(key, payload, session.passwordHash)}`;
}

/**
 * The session's user name and epoch, or null when the token is malformed, expired, or was not
 * signed for this user's current password. `passwordHashOf` answers from the users file.
 */
export function verifySession(
  token: string,
  key: Buffer,
  nowMs: number,
  passwordHashOf: (name: string) => string | null,
): { name: string; epoch: number } | null {
  const parts = token.split(".");
  if (parts.length !== 5 || parts[0] !== "v2") return null;
  const [, encodedName, epochText, expiryText, given] = parts as [string, string, string, string, string];
  if (!/^\d{1,15}$/.test(epochText) || !/^\d{1,15}$/.test(expiryText)) return null;
  if (Number(expiryText) * 1000 < nowMs) return null;
  const name = Buffer.from(encodedName, "base64url").toString("utf8");
  const hash = passwordHashOf(name);
  if (hash === null) return null;
  const expected = Buffer.from(mac(key, parts.slice(0, 4).join("."), hash));
  const actual = Buffer.from(given);
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return null;
  return { name, epoch: Number(epochText) };
}
