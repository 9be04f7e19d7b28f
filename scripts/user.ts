// `npm run user -- add NAME --role operator|viewer` (password from FLOWTAP_PASSWORD, or asked
// for on the terminal), `npm run user -- remove NAME`, `npm run user -- list`. Writes the
// users file (FLOWTAP_USERS_FILE, default FLOWTAP_DATA_DIR/users.json) with scrypt hashes.
// Running servers read the file at each request: a new role applies at once, and a new
// password or a removal ends the user's sessions at once (a session is signed over the hash).
//
// API tokens for scripts: `token NAME --role viewer|operator` (printed once), `tokens`,
// `revoke-token NAME`. With DATABASE_URL they live in table api_tokens, shared by every web
// server. With PGlite they live in a file beside the users file: the running web server holds
// the PGlite store and no second process may open it, so this command never opens it then.
import { createInterface } from "node:readline/promises";
import { getConfig, type Config } from "../server/config";
import { hashPassword } from "../server/auth/password";
import { loadUsers, saveUsers, type Role } from "../server/auth/users";
import { openStore } from "../server/db/client";
import { dbTokenStore } from "../server/auth/tokens-db";
import { fileTokenStore, tokensUsedFile } from "../server/auth/tokens-file";
import { TOKEN_NAME, newToken, tokenDigest, type TokenStore } from "../server/auth/tokens";

const USAGE =
  "usage: npm run user -- add NAME [--role operator|viewer] | remove NAME | list | token NAME [--role viewer|operator] | tokens | revoke-token NAME";

async function askPassword(): Promise<string> {
  if (process.env.FLOWTAP_PASSWORD) return process.env.FLOWTAP_PASSWORD;
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  const pw = await rl.question("password: ");
  rl.close();
  return pw;
}

function roleOf(rest: string[]): Role {
  const role = rest.includes("--role") ? rest[rest.indexOf("--role") + 1] : "viewer";
  if (role !== "viewer" && role !== "operator") throw new Error("--role must be operator or viewer");
  return role;
}

async function withTokens<T>(config: Config, fn: (s: TokenStore, where: string) => Promise<T>): Promise<T> {
  if (!config.databaseUrl) return fn(fileTokenStore(config.tokensFile, tokensUsedFile(config.tokensFile)), config.tokensFile);
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, maxConnections: 1 });
  try {
    return await fn(dbTokenStore(store), "the database (table api_tokens)");
  } finally {
    await store.close();
  }
}

/** The token commands; false when `cmd` is not one. */
async function tokenCommand(config: Config, cmd: string | undefined, name: string | undefined, rest: string[]): Promise<boolean> {
  if (cmd === "tokens") {
    await withTokens(config, async (s) => {
      for (const t of await s.list()) {
        const state = t.revokedAt ? `revoked ${t.revokedAt}` : t.lastUsedAt ? `last used ${t.lastUsedAt}` : "never used";
        console.log(`${t.name}\t${t.role}\tcreated ${t.createdAt}\t${state}`);
      }
    });
    return true;
  }
  if (cmd !== "token" && cmd !== "revoke-token") return false;
  if (!name || !TOKEN_NAME.test(name)) throw new Error("a token name is letters, digits, '.', '_' or '-' (at most 64)");
  if (cmd === "revoke-token") {
    if ((await withTokens(config, (s) => s.revoke(name))) === 0) throw new Error(`no live token named ${name}`);
    console.log(`revoked ${name}: refused from now on (within 5 s on web servers sharing the database)`);
    return true;
  }
  const role = roleOf(rest);
  const token = newToken();
  const where = await withTokens(config, async (s, w) => (await s.create(name, role, tokenDigest(token)), w));
  console.log(`token ${name} (${role}) saved in ${where}; only its SHA-256 is kept, so it is shown this once:`);
  console.log(token);
  console.log("send it as the header  Authorization: Bearer <token>");
  return true;
}

async function main(): Promise<void> {
  const [cmd, name, ...rest] = process.argv.slice(2);
  const config = getConfig();
  if (await tokenCommand(config, cmd, name, rest)) return;
  const path = config.usersFile;
  const file = loadUsers(path) ?? { users: [] };
  if (cmd === "list") {
    for (const u of file.users) console.log(`${u.name}\t${u.role}`);
    return;
  }
  if (!name || (cmd !== "add" && cmd !== "remove")) throw new Error(USAGE);
  const users = file.users.filter((u) => u.name !== name);
  if (cmd === "add") {
    const role = roleOf(rest);
    const password = await askPassword();
    if (password.length < 8) throw new Error("the password must have at least 8 characters");
    users.push({ name, role, password: await hashPassword(password) });
  }
  saveUsers(path, { users });
  const replaced = file.users.some((u) => u.name === name);
  console.log(`${cmd === "add" ? "saved" : "removed"} ${name} in ${path}${replaced ? `; ${name}'s sessions have ended` : ""}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
