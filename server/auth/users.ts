import "server-only";
// Users come from a JSON file ({ "users": [{ "name", "role", "password" }] }, passwords as
// scrypt hashes; `npm run user -- add NAME --role operator` writes it). No file, no users:
// the read-only views are open and replay is refused.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
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

let cache: { path: string; mtimeMs: number; file: UsersFile } | null = null;

/** The users file, re-read when it changes; null when there is none. */
export function loadUsers(path: string): UsersFile | null {
  if (!existsSync(path)) return null;
  const mtimeMs = statSync(path).mtimeMs;
  if (cache && cache.path === path && cache.mtimeMs === mtimeMs) return cache.file;
  const parsed = fileSchema.safeParse(JSON.parse(readFileSync(path, "utf8")));
  if (!parsed.success) throw new Error(`${path}: not a users file: ${parsed.error.issues[0]?.message}`);
  cache = { path, mtimeMs, file: parsed.data };
  return parsed.data;
}

export function saveUsers(path: string, file: UsersFile): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
}
