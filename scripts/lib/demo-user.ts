// The demo's operator: `demo`, with FLOWTAP_DEMO_PASSWORD or a random password made for this
// run, written into the demo's users file so the dashboard asks for a sign-in like a real one.
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { hashPassword } from "../../server/auth/password";
import { loadUsers, saveUsers } from "../../server/auth/users";

export async function ensureDemoOperator(dataDir: string): Promise<{ name: string; password: string; generated: boolean }> {
  const path = process.env.FLOWTAP_USERS_FILE ?? join(dataDir, "users.json");
  const generated = !process.env.FLOWTAP_DEMO_PASSWORD;
  const password = process.env.FLOWTAP_DEMO_PASSWORD ?? randomBytes(9).toString("base64url");
  const others = (loadUsers(path)?.users ?? []).filter((u) => u.name !== "demo");
  saveUsers(path, { users: [...others, { name: "demo", role: "operator", password: await hashPassword(password) }] });
  return { name: "demo", password, generated };
}
