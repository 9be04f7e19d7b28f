// API tokens when the store is PGlite. Only one process can open PGlite, and the web server
// holds it, so `npm run user -- token` could not write a table while the server runs. Tokens
// therefore live in a file beside the users file (FLOWTAP_TOKENS_FILE), which only
// `npm run user` writes, atomically; the server re-reads it when it changes, like the users
// file. Last use goes to a second file that only the server writes: two writers of one file
// would lose each other's updates.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { basename, dirname, join } from "node:path";
import { z } from "zod";
import { TokenNameTaken, newTokenId, type ApiToken, type FoundToken, type TokenStore } from "./tokens";

const fileSchema = z.object({
  tokens: z.array(z.object({
    id: z.string(),
    name: z.string(),
    role: z.enum(["viewer", "operator"]),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    createdAt: z.string(),
    revokedAt: z.string().nullable(),
  })),
});
type TokensFile = z.infer<typeof fileSchema>;

/** Replaces `path` atomically (temporary file, flushed, renamed): a reader never sees half of it. */
function writeAtomically(path: string, text: string): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  const fd = openSync(tmp, "wx", 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

function readJson(path: string): unknown {
  return existsSync(path) ? JSON.parse(readFileSync(path, "utf8")) : null;
}

/** Last use, beside the tokens file; written by the server only. */
export const tokensUsedFile = (tokensFile: string): string => join(dirname(tokensFile), "tokens-used.json");

export function fileTokenStore(path: string, usedPath: string): TokenStore {
  // Re-read when the file changes (mtime, size or inode: a rename gives a new inode).
  let cache: { version: string; file: TokensFile; live: Map<string, FoundToken> } | null = null;
  const load = () => {
    const st = existsSync(path) ? statSync(path, { bigint: true }) : null;
    const version = st ? `${st.mtimeNs}/${st.size}/${st.ino}` : "none";
    if (cache?.version === version) return cache;
    const raw = readJson(path);
    const parsed = fileSchema.safeParse(raw ?? { tokens: [] });
    if (!parsed.success) throw new Error(`${path}: not a tokens file: ${parsed.error.issues[0]?.message}`);
    const live = new Map(parsed.data.tokens.filter((t) => t.revokedAt === null).map((t) => [t.sha256, { id: t.id, name: t.name, role: t.role }]));
    cache = { version, file: parsed.data, live };
    return cache;
  };
  const save = (file: TokensFile) => writeAtomically(path, `${JSON.stringify(file, null, 2)}\n`);
  // Last use: kept in memory by the server, the file being its copy for `npm run user -- tokens`.
  let used: Record<string, string> | null = null;
  const readUsed = () => (readJson(usedPath) ?? {}) as Record<string, string>;

  return {
    async create(name, role, sha256) {
      const { file } = load();
      if (file.tokens.some((t) => t.name === name && t.revokedAt === null)) throw new TokenNameTaken(name);
      save({ tokens: [...file.tokens, { id: newTokenId(), name, role, sha256, createdAt: new Date().toISOString(), revokedAt: null }] });
    },
    async list(): Promise<ApiToken[]> {
      const lastUse = readUsed();
      return load().file.tokens.map((t) => ({ ...t, lastUsedAt: lastUse[t.id] ?? null }));
    },
    async revoke(name) {
      const { file } = load();
      const now = new Date().toISOString();
      let n = 0;
      const tokens = file.tokens.map((t) => (t.name === name && t.revokedAt === null ? (n++, { ...t, revokedAt: now }) : t));
      if (n > 0) save({ tokens });
      return n;
    },
    async find(sha256) {
      return load().live.get(sha256) ?? null;
    },
    async touch(id, at) {
      used ??= readUsed();
      used[id] = at.toISOString();
      writeAtomically(usedPath, `${JSON.stringify(used, null, 2)}\n`);
    },
  };
}
