// Browser benchmarks against a production build: time until a flow's timeline is visible and
// clickable in Chromium (1,000 events beside 10), and the first-load JavaScript of the pages.
import { gzipSync } from "node:zlib";
import { join, resolve } from "node:path";
import { chromium } from "playwright-core";
import { percentile } from "./bench-measure";
import { buildIsStale, runBuild, startWebServer } from "./demo-processes";
import { freePort } from "./kafka-broker";

const root = resolve(import.meta.dirname, "..", "..");

export interface BrowserBench {
  ms10: number;
  ms1000: number;
  jsHome: number;
  jsFlow: number;
  /** /map until every step of `mapSteps` is drawn and the last one clickable; null when not asked. */
  mapMs: number | null;
}

/** Gzipped bytes of the scripts a page loads on first visit (the legacy polyfill excluded: only old browsers load it). */
async function firstLoadJs(base: string, path: string): Promise<number> {
  const html = await (await fetch(`${base}${path}`)).text();
  const srcs = [...html.matchAll(/<script[^>]*\bsrc="([^"]+)"[^>]*>/g)].filter((m) => !/nomodule/.test(m[0])).map((m) => m[1]!);
  let total = 0;
  for (const src of new Set(srcs)) total += gzipSync(Buffer.from(await (await fetch(new URL(src, base))).arrayBuffer())).length;
  return total;
}

/** A production server (tap off) on `env` until `fn` ends. */
async function withServer<T>(env: Record<string, string>, workDir: string, name: string, fn: (base: string) => Promise<T>): Promise<T> {
  const port = await freePort();
  const server = startWebServer({ root, port, env: { ...process.env, ...env, FLOWTAP_TAP: "off" }, logFile: join(workDir, `${name}.log`) });
  const base = `http://127.0.0.1:${port}`;
  try {
    for (let i = 0; i < 120; i++) {
      const ok = await fetch(`${base}/api/health`).then((r) => r.ok, () => false);
      if (ok) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    return await fn(base);
  } finally {
    await server.stop();
  }
}

export async function benchBrowser(
  env: Record<string, string>,
  ids: { small: string; large: string },
  workDir: string,
  log: (s: string) => void,
  /** /map over a store of its own (env overrides, e.g. DATABASE_URL) that holds `steps` steps in the last hour (3 types × 12). */
  map?: { steps: number; env: Record<string, string> },
): Promise<BrowserBench> {
  if (buildIsStale(root)) {
    log("building the app for the browser benchmark");
    await runBuild(root, () => {});
  }
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
  });
  try {
    const timeToClickable = async (base: string, id: string) => {
      const samples: number[] = [];
      for (let run = 0; run < 7; run++) {
        const page = await browser.newPage();
        const t = performance.now();
        await page.goto(`${base}/flows/${encodeURIComponent(id)}`);
        const first = page.getByTestId("timeline-event").first();
        await first.waitFor({ state: "visible" });
        await first.click({ trial: true });
        samples.push(performance.now() - t);
        await page.close();
      }
      samples.sort((a, b) => a - b);
      return percentile(samples, 50);
    };
    const timeMap = async (base: string, steps: number) => {
      const samples: number[] = [];
      for (let run = 0; run < 8; run++) {
        const page = await browser.newPage();
        const t = performance.now();
        await page.goto(`${base}/map`);
        await page.waitForFunction((n) => document.querySelectorAll('[data-testid="map-type"] [data-testid="map-step"]').length >= n, steps);
        await page.locator('[data-testid="map-type"] [data-testid="map-step"]').last().click({ trial: true });
        // The first load is the warm-up (route compiled into the server's cache, fonts).
        if (run > 0) samples.push(performance.now() - t);
        await page.close();
      }
      samples.sort((a, b) => a - b);
      return percentile(samples, 50);
    };
    const pages = await withServer(env, workDir, "web", async (base) => {
      await timeToClickable(base, ids.small);
      const ms10 = await timeToClickable(base, ids.small);
      const ms1000 = await timeToClickable(base, ids.large);
      return { ms10, ms1000, jsHome: await firstLoadJs(base, "/"), jsFlow: await firstLoadJs(base, `/flows/${encodeURIComponent(ids.small)}`) };
    });
    // A failure here costs this figure only (logged), not the run's others.
    const mapMs = map
      ? await withServer({ ...env, ...map.env }, workDir, "web-map", (base) => timeMap(base, map.steps)).catch(
          (err: unknown) => (log(`browser: /map not timed: ${String(err)}`), null),
        )
      : null;
    return { ...pages, mapMs };
  } finally {
    await browser.close();
  }
}
