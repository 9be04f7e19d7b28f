// End-to-end plumbing: a production build of the app served by `next start` against the
// test broker, and Debian's Chromium driven by playwright-core.
import { join, resolve } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { buildIsStale, runBuild, startWebServer, type WebServer } from "../../scripts/lib/demo-processes";
import { freePort } from "../../scripts/lib/kafka-broker";
import { tempDir, waitFor } from "../integration/harness";

const root = resolve(import.meta.dirname, "..", "..");

export interface App {
  url: string;
  server: WebServer;
  stop(): Promise<void>;
}

export async function startApp(env: Record<string, string>): Promise<App> {
  if (buildIsStale(root)) await runBuild(root, () => {});
  const port = await freePort();
  const dir = tempDir("e2e-");
  const server = startWebServer({
    root,
    port,
    // A test without a users file runs in open mode on purpose; one with users signs in.
    env: { ...process.env, NODE_ENV: "production", FLOWTAP_DATA_DIR: join(dir, "data"), FLOWTAP_TOPIC_REFRESH_S: "2", ...(env.FLOWTAP_USERS_FILE ? {} : { FLOWTAP_AUTH: "off" }), ...env },
    logFile: join(dir, "web.log"),
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor("the web server to answer /api/health", async () => {
    if (server.process.exitCode !== null) throw new Error(`next start exited:\n${server.tail()}`);
    return (await fetch(`${url}/api/health`)).status === 200;
  }, { timeoutMs: 60_000 });
  return { url, server, stop: () => server.stop() };
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"],
  });
}

/** A page that collects uncaught page errors (and, unless told otherwise, console errors) for a test to assert none. */
export async function pageWithErrors(browser: Browser, opts: { consoleErrors?: boolean } = {}): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  if (opts.consoleErrors ?? true) {
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
  }
  return { page, errors };
}
