import "server-only";
// Users come from a JSON file ({ "users": [{ "name", "role", "password" }] }, passwords as
// scrypt hashes; `npm run user -- add NAME --role operator` writes it). No file, no users:
// no start (start-check.ts), unless FLOWTAP_AUTH=off. The file is the only source of roles:
// every request reads it (cached until the file changes), so an edit takes effect at once.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { dirname, join } from "node:path";
import { z } from "zod";

export type Role = "viewer" | "operator";
export interface User {
  name: string;
  role: Role;
}

const fileSchema = z.object({
  users: z.array(z.object({ name: z.string().min(1).max(100), role: z.enum(["viewer", "operator"]), password: z.string().startsWith("scrypt$") })),
});
export type UsersFile = z.infer<typeof fileSchema>;

/** Which version of the file the cache holds: an edit changes the mtime, size or (saveUsers) the inode. */
type Version = { path: string; mtimeNs: bigint; size: bigint; ino: bigint };
let cache: { version: Version; file: UsersFile } | null = null;

/** The users file, re-read when it changes; null when there is none. */
export function loadUsers(path: string): UsersFile | null {
  if (!existsSync(path)) return null;
  const st = statSync(path, { bigint: true });
  const version: Version = { path, mtimeNs: st.mtimeNs, size: st.size, ino: st.ino };
  const c = cache?.version;
  if (cache && c && c.path === path && c.mtimeNs === st.mtimeNs && c.size === st.size && c.ino === st.ino) return cache.file;
  const parsed = fileSchema.safeParse(JSON.parse(readFileSync(path, "utf8")));
  if (!parsed.success) throw new Error(`${path}: not a users file: ${parsed.error.issues[0]?.message}`);
  cache = { version, file: parsed.data };
  return parsed.data;
}

/** Replaces the file atomically (temporary file, flushed, renamed): a reader never sees half of it. */
export function saveUsers(path: string, file: UsersFile): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.users.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  const fd = openSync(tmp, "wx", 0o600);
  try {
    writeSync(fd, `${JSON.stringify(file, null, 2)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}
