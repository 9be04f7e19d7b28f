import { getRuntime } from "@/server/runtime";
import { identify } from "@/server/auth/authenticate";
import { json } from "@/server/http/respond";
import { healthStates, readHealth } from "@/server/health/read-health";

/** Signed in (or no users configured): the details; anyone else: states only. */
async function mayReadDetails(req: Request): Promise<boolean> {
  try {
    const caller = await identify(req);
    return caller.user !== null || !caller.usersConfigured;
  } catch {
    return false;
  }
}

// `ok` is false when the index is not keeping up. Kafka down is still a 200: the index keeps
// serving reads. The store down is a 503.
export async function GET(req: Request): Promise<Response> {
  const [health, details] = await Promise.all([readHealth(getRuntime()), mayReadDetails(req)]);
  return json(details ? health : healthStates(health), { status: health.db.ok ? 200 : 503 });
}
