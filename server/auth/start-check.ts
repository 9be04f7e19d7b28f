import "server-only";
// Fail closed at start. A missing users file used to mean "open to anyone": a typo in the
// path, another working directory or the last user removed silently served every read API,
// /metrics and the audit log. Now the start stops unless FLOWTAP_AUTH=off asks for open mode
// by name, and open mode is said out loud (this log line, and `auth: "off"` in /api/health).
import { ConfigError, type Config } from "../config";
import { loadUsers } from "./users";

/** Throws ConfigError (one line) when sign-in is on and no user can sign in; returns the open-mode notice, if any. */
export function signInAtStart(config: Config): string | null {
  if (config.authOpen) {
    return `flowtap: open mode (FLOWTAP_AUTH=off): every page and read API answers without sign-in; replay still needs an operator from ${config.usersFile}`;
  }
  let count = 0;
  let problem = "has no users";
  try {
    const file = loadUsers(config.usersFile);
    if (file === null) problem = "does not exist";
    else count = file.users.length;
  } catch (err) {
    problem = `cannot be read (${((err as Error).message || String(err)).split("\n")[0]})`;
  }
  if (count > 0) return null;
  throw new ConfigError(
    `Invalid configuration: FLOWTAP_USERS_FILE: ${config.usersFile} ${problem}; add an operator with \`npm run user -- add NAME --role operator\`, or set FLOWTAP_AUTH=off to serve without sign-in`,
  );
}
