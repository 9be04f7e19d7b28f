import "server-only";
// Stateless browser sessions: "name.role.expiry.mac", HMAC-SHA256 with a secret from
// FLOWTAP_SESSION_SECRET or, failing that, one generated once into the data folder.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Role, User } from "./users";

export const SESSION_COOKIE = "flowtap_session";
export const SESSION_TTL_S = 12 * 3600;

export function sessionSecret(explicit: string | null, dataDir: string): Buffer {
  if (explicit) return Buffer.from(explicit, "utf8");
  const path = join(dataDir, "session-secret");
  if (!existsSync(path)) {
    mkdirSync(dataDir, { recursive: true });
    try {
      writeFileSync(path, randomBytes(32).toString("base64"), { mode: 0o600, flag: "wx" });
    } catch (err) {
      // Another process wrote it first: use theirs.
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
  }
  return Buffer.from(readFileSync(path, "utf8").trim(), "base64");
}

const mac = (secret: Buffer, payload: string) => createHmac("sha256", secret).update(payload).digest("base64url");

export function signSession(user: User, secret: Buffer, nowMs: number): string {
  const payload = `${Buffer.from(user.name).toString("base64url")}.${user.role}.${Math.floor(nowMs / 1000) + SESSION_TTL_S}`;
  return `${payload}.${mac(secret, payload)}`;
}

export function verifySession(token: string, secret: Buffer, nowMs: number): User | null {
  const parts = token.split(".");
  if (parts.length !== 4) return null;
  const payload = parts.slice(0, 3).join(".");
  const given = Buffer.from(parts[3]!);
  const expected = Buffer.from(mac(secret, payload));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  if (Number(parts[2]) * 1000 < nowMs) return null;
  const role = parts[1] as Role;
  if (role !== "viewer" && role !== "operator") return null;
  return { name: Buffer.from(parts[0]!, "base64url").toString("utf8"), role };
}
