import "server-only";
// Web-server start: a bad configuration is one clear line and exit 1; then the tap starts
// in this process when FLOWTAP_TAP=on.
import { ConfigError, getConfig } from "./config";
import { startBackgroundWork } from "./runtime";

export async function boot(): Promise<void> {
  try {
    getConfig();
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
