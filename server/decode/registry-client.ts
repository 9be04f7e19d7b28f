import "server-only";
// HTTP client for a Confluent-compatible Schema Registry (Confluent's REST API, or Apicurio's
// ccompat API at …/apis/ccompat/v7). Several URLs are tried in order (failover); every call has
// a timeout; a URL that failed is skipped for `retryAfterMs`, so a registry that is down costs
// the tap one timeout per interval, not one per record or batch. Caching is the caller's
// (schema-cache.ts): this file only asks.
import { SchemaNotFound, type RegistrySchema, type RegistryUrlState, type SchemaSource, type SubjectVersion } from "./types";

export interface RegistryClientOptions {
  urls: string[];
  username: string | null;
  password: string | null;
  /** Per request, body included. */
  timeoutMs: number;
  /** How long a URL that failed is skipped. */
  retryAfterMs: number;
  fetch?: typeof fetch;
}

export interface RegistryClient extends SchemaSource {
  state(): RegistryUrlState[];
}

interface Target {
  base: string;
  auth: string | null;
  downUntil: number;
  view: RegistryUrlState;
}

/** Schemas are small; anything bigger is not a schema answer. */
const MAX_BODY_CHARS = 4 * 1024 * 1024;
const APICURIO_CCOMPAT = /^(.*)\/apis\/ccompat\/v\d+$/;

function target(raw: string, username: string | null, password: string | null): Target {
  const url = new URL(raw);
  // fetch() refuses URLs with credentials: they move to the Authorization header, and out of what health shows.
  const user = username ?? (url.username ? decodeURIComponent(url.username) : null);
  const pass = password ?? (url.password ? decodeURIComponent(url.password) : "");
  url.username = "";
  url.password = "";
  const base = url.toString().replace(/\/+$/, "");
  const auth = user === null ? null : `Basic ${Buffer.from(`${user}:${pass}`).toString("base64")}`;
  return { base, auth, downUntil: 0, view: { url: base, ok: null, lastAnsweredAt: null, lastCheckedAt: null, lastError: null } };
}

class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

function describe(err: unknown, timeoutMs: number): string {
  if (err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError")) return `no answer within ${timeoutMs} ms`;
  const cause = err instanceof Error ? (err.cause as { code?: string; message?: string } | undefined) : undefined;
  if (cause?.code) return `${cause.code}${cause.message ? ` (${cause.message})` : ""}`;
  return err instanceof Error ? err.message : String(err);
}

export function createRegistryClient(opts: RegistryClientOptions): RegistryClient {
  const doFetch = opts.fetch ?? fetch;
  const targets = opts.urls.map((u) => target(u, opts.username, opts.password));
  const scrub = (s: string) => (opts.password ? s.split(opts.password).join("***") : s);

  const once = async (t: Target, path: string): Promise<{ body: string; contentType: string }> => {
    const url = path.startsWith("http") ? path : `${t.base}${path}`;
    const headers: Record<string, string> = { accept: "application/vnd.schemaregistry.v1+json, application/json, */*" };
    if (t.auth) headers.authorization = t.auth;
    const res = await doFetch(url, { headers, signal: AbortSignal.timeout(opts.timeoutMs) });
    const body = await res.text();
    if (res.status === 404) throw new SchemaNotFound(`not found (${path.split("?")[0]})`);
    if (!res.ok) throw new HttpError(res.status, `HTTP ${res.status}`);
    if (body.length > MAX_BODY_CHARS) throw new Error(`answer over ${MAX_BODY_CHARS} characters`);
    return { body, contentType: res.headers.get("content-type") ?? "" };
  };

  /** Asks each URL in turn (those marked down last); a 404 is an answer, not a failure. */
  const ask = async (path: string | ((t: Target) => string)): Promise<{ body: string; contentType: string }> => {
    const now = Date.now();
    const order = [...targets.filter((t) => t.downUntil <= now), ...targets.filter((t) => t.downUntil > now)];
    const live = order.filter((t) => t.downUntil <= now);
    if (live.length === 0) {
      const last = order[0]?.view.lastError ?? "no URL";
      throw new Error(`schema registry unavailable: ${last}`);
    }
    let lastError = "";
    for (const t of live) {
      t.view.lastCheckedAt = new Date().toISOString();
      try {
        const out = await once(t, typeof path === "string" ? path : path(t));
        Object.assign(t.view, { ok: true, lastAnsweredAt: t.view.lastCheckedAt, lastError: null });
        return out;
      } catch (err) {
        if (err instanceof SchemaNotFound) {
          Object.assign(t.view, { ok: true, lastAnsweredAt: t.view.lastCheckedAt, lastError: null });
          throw err;
        }
        lastError = scrub(describe(err, opts.timeoutMs));
        Object.assign(t.view, { ok: false, lastError });
        t.downUntil = Date.now() + opts.retryAfterMs;
      }
    }
    throw new Error(`schema registry unavailable: ${lastError}`);
  };

  const json = async (path: string): Promise<unknown> => JSON.parse((await ask(path)).body) as unknown;
  const schema = async (path: string): Promise<RegistrySchema> => {
    const s = (await json(path)) as RegistrySchema;
    if (typeof s?.schema !== "string") throw new Error(`registry answer for ${path} has no schema`);
    return s;
  };

  return {
    state: () => targets.map((t) => ({ ...t.view })),
    byId: (id) => schema(`/schemas/ids/${id}`),
    byGuid: (guid) => schema(`/schemas/guids/${encodeURIComponent(guid)}`),
    subjectVersion: (subject, version) => schema(`/subjects/${encodeURIComponent(subject)}/versions/${version}`),
    versionsOfId: async (id) => {
      const list = await json(`/schemas/ids/${id}/versions`).catch(() => []);
      return Array.isArray(list) ? (list as SubjectVersion[]).filter((v) => typeof v?.subject === "string" && Number.isInteger(v.version)) : [];
    },
    // Apicurio's ccompat IDs are contentIds by default; a globalId is read through its native API beside it.
    byApicurioGlobalId: async (id) => {
      if (!targets.every((t) => APICURIO_CCOMPAT.test(new URL(t.base).pathname))) {
        throw new SchemaNotFound("an Apicurio globalId is read through Apicurio's native API: SCHEMA_REGISTRY_URL must end in /apis/ccompat/v7");
      }
      const { body, contentType } = await ask((t) => `${t.base.replace(/\/apis\/ccompat\/v\d+$/, "")}/apis/registry/v2/ids/globalIds/${id}`);
      return { schema: body, schemaType: guessType(body, contentType) };
    },
  };
}

/** Apicurio's native API answers the bare content: its media type tells Protobuf, the JSON tells Avro from JSON Schema. */
function guessType(body: string, contentType: string): string {
  if (/protobuf/i.test(contentType)) return "PROTOBUF";
  try {
    const s = JSON.parse(body) as Record<string, unknown>;
    const jsonSchema = "$schema" in s || "properties" in s || (s.type === "object" && !("fields" in s));
    return jsonSchema ? "JSON" : "AVRO";
  } catch {
    return "PROTOBUF";
  }
}
