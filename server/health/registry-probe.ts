import "server-only";
// Does each configured Schema Registry answer, asked from this web process? The tap may run
// elsewhere (`npm run tap`), so its decoder's view is not ours to read. One small GET per URL
// (`/schemas/types`: three words on Confluent and Apicurio alike), a short timeout, the answer
// reused for a few seconds and one probe in flight, so a polling status bar costs the registry
// one request per URL every FRESH_MS whatever the number of browsers.
import type { SchemaRegistryConfig } from "../config";

export interface RegistryUrlHealth {
  /** Without credentials. */
  url: string;
  ok: boolean;
  /** Why not, in words ("does not answer: ECONNREFUSED", "answers HTTP 401 (credentials refused)"); never carries the password. */
  error?: string;
  checkedAt: string;
}

export interface RegistryHealth {
  /** Every configured URL answers. */
  ok: boolean;
  urls: RegistryUrlHealth[];
  /** "schema registry http://… does not answer: …", one per URL that does not. */
  error?: string;
}

export interface RegistryProbe {
  check(): Promise<RegistryHealth>;
}

const FRESH_MS = 5_000;
const TIMEOUT_MS = 2_000;

interface Target {
  url: string;
  auth: string | null;
}

/** fetch() refuses URLs with credentials: they move to the Authorization header, and out of what health shows. */
export function registryTarget(raw: string, username: string | null, password: string | null): Target {
  const u = new URL(raw);
  const user = username ?? (u.username ? decodeURIComponent(u.username) : null);
  const pass = password ?? (u.password ? decodeURIComponent(u.password) : "");
  u.username = "";
  u.password = "";
  return { url: u.toString().replace(/\/+$/, ""), auth: user === null ? null : `Basic ${Buffer.from(`${user}:${pass}`).toString("base64")}` };
}

function why(err: unknown): string {
  if (err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError")) return `no answer within ${TIMEOUT_MS / 1000} s`;
  const cause = err instanceof Error ? (err.cause as { code?: string } | undefined) : undefined;
  return cause?.code ?? (err instanceof Error ? err.message : String(err));
}

export function createRegistryProbe(config: Pick<SchemaRegistryConfig, "urls" | "username" | "password">, doFetch: typeof fetch = fetch): RegistryProbe {
  const targets = config.urls.map((u) => registryTarget(u, config.username, config.password));
  const secrets = [config.password, ...config.urls.map((u) => new URL(u).password)].filter((s): s is string => !!s);
  const scrub = (s: string) => secrets.reduce((acc, p) => acc.split(p).join("***"), s);
  let last: RegistryHealth | null = null;
  let lastAt = 0;
  let inFlight: Promise<RegistryHealth> | null = null;

  const one = async (t: Target): Promise<RegistryUrlHealth> => {
    const checkedAt = new Date().toISOString();
    try {
      const headers: Record<string, string> = { accept: "application/json" };
      if (t.auth) headers.authorization = t.auth;
      const res = await doFetch(`${t.url}/schemas/types`, { headers, signal: AbortSignal.timeout(TIMEOUT_MS) });
      await res.arrayBuffer();
      // A 401/403 answers, but the decoder could not read a schema either: not ok, and it says why.
      if (res.ok) return { url: t.url, ok: true, checkedAt };
      const hint = res.status === 401 || res.status === 403 ? " (credentials refused)" : res.status === 404 ? " (no Schema Registry API at this path)" : "";
      return { url: t.url, ok: false, error: `answers HTTP ${res.status}${hint}`, checkedAt };
    } catch (err) {
      return { url: t.url, ok: false, error: `does not answer: ${scrub(why(err))}`, checkedAt };
    }
  };

  const probe = async (): Promise<RegistryHealth> => {
    const urls = await Promise.all(targets.map(one));
    const down = urls.filter((u) => !u.ok);
    const health: RegistryHealth = { ok: down.length === 0, urls };
    if (down.length > 0) health.error = down.map((u) => `schema registry ${u.url} ${u.error}`).join("; ");
    return health;
  };

  return {
    check: () => {
      if (last && Date.now() - lastAt < FRESH_MS) return Promise.resolve(last);
      inFlight ??= probe()
        .then((h) => {
          last = h;
          lastAt = Date.now();
          return h;
        })
        .finally(() => (inFlight = null));
      return inFlight;
    },
  };
}
