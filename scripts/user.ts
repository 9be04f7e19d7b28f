// `npm run user -- add NAME --role operator|viewer` (password from FLOWTAP_PASSWORD, or asked
// for on the terminal), `npm run user -- remove NAME`, `npm run user -- list`. Writes the
// users file (FLOWTAP_USERS_FILE, default FLOWTAP_DATA_DIR/users.json) with scrypt hashes.
import { createInterface } from "node:readline/promises";
import { getConfig } from "../server/config";
import { hashPassword } from "../server/auth/password";
import { loadUsers, saveUsers, type Role } from "../server/auth/users";

async function askPassword(): Promise<string> {
  if (process.env.FLOWTAP_PASSWORD) return process.env.FLOWTAP_PASSWORD;
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  const pw = await rl.question("password: ");
  rl.close();
  return pw;
}

async function main(): Promise<void> {
  const [cmd, name, ...rest] = process.argv.slice(2);
  const path = getConfig().usersFile;
  const file = loadUsers(path) ?? { users: [] };
  if (cmd === "list") {
    for (const u of file.users) console.log(`${u.name}\t${u.role}`);
    return;
  }
  if (!name || (cmd !== "add" && cmd !== "remove")) throw new Error("usage: npm run user -- add NAME [--role operator|viewer] | remove NAME | list");
  const users = file.users.filter((u) => u.name !== name);
  if (cmd === "add") {
    const roleArg = rest[rest.indexOf("--role") + 1];
    const role: Role = rest.includes("--role") ? (roleArg as Role) : "viewer";
    if (role !== "viewer" && role !== "operator") throw new Error("--role must be operator or viewer");
    const password = await askPassword();
    if (password.length < 8) throw new Error("the password must have at least 8 characters");
    users.push({ name, role, password: await hashPassword(password) });
  }
  saveUsers(path, { users });
  console.log(`${cmd === "add" ? "saved" : "removed"} ${name} in ${path}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
