import "server-only";
// Web-server start: a bad configuration is one clear line and exit 1; then the tap starts
// in this process when FLOWTAP_TAP=on.
import { sessionSecret } from "./auth/session";
import { signInAtStart } from "./auth/start-check";
import { ConfigError, getConfig } from "./config";
import { ignoreH2cUpgrades } from "./http/h2c";
import { startBackgroundWork } from "./runtime";

export async function boot(): Promise<void> {
  // Java's HttpClient asks for h2c on plain http; without this it gets no answer at all.
  ignoreH2cUpgrades();
  try {
    const config = getConfig();
    // An empty or short session secret would let anyone mint cookies: stop at start, not at the first sign-in.
    sessionSecret(config.sessionSecret, config.dataDir);
    // No users and no FLOWTAP_AUTH=off: stop, rather than serve everything to anyone.
    const openMode = signInAtStart(config);
    if (openMode) console.warn(openMode);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  // The web server answers even while Kafka or the store is down; the tap keeps retrying.
  startBackgroundWork().catch((err: unknown) => {
    console.error(`flowtap: the tap did not start: ${err instanceof Error ? err.message : String(err)}`);
  });
}
