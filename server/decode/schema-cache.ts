// Schemas by ID, fetched once per process. A registry ID names one schema forever, so a
// compiled codec never expires; the cache is bounded (least recently used goes first). A
// failure (unknown ID, registry away, schema that does not compile) is remembered for
// `retryAfterMs`, so records naming it fail at once instead of asking again per batch.
import { sanitizeText } from "../extract/sanitize";
import { compileSchema } from "./compile-schema";
import { refKey, SchemaNotFound, type Codec, type SchemaRef, type SchemaSource } from "./types";

export interface SchemaCacheOptions {
  maxEntries: number;
  retryAfterMs: number;
  /** Decoded values nesting deeper than this are refused (as the extractor refuses such JSON). */
  maxDepth: number;
  now?: () => number;
}

export type Resolved = { ok: true; codec: Codec } | { ok: false; error: string; notFound?: boolean };

export interface SchemaCache {
  /** The cached outcome, or undefined when the registry must be asked. */
  peek(ref: SchemaRef): Resolved | undefined;
  /** Asks the registry (once, however many callers wait) and caches the outcome. */
  resolve(ref: SchemaRef): Promise<Resolved>;
  size(): number;
}

function describe(ref: SchemaRef): string {
  if (ref.kind === "guid") return `schema GUID ${ref.guid}`;
  return ref.kind === "id" ? `schema ID ${ref.id}` : `Apicurio globalId ${ref.id}`;
}

export function createSchemaCache(source: SchemaSource, opts: SchemaCacheOptions): SchemaCache {
  const now = opts.now ?? Date.now;
  const codecs = new Map<string, Codec>();
  const failures = new Map<string, { error: string; notFound: boolean; until: number }>();
  const inFlight = new Map<string, Promise<Resolved>>();

  const fetchSchema = (ref: SchemaRef) =>
    ref.kind === "id" ? source.byId(ref.id) : ref.kind === "guid" ? source.byGuid(ref.guid) : source.byApicurioGlobalId(ref.id);

  const load = async (ref: SchemaRef): Promise<Resolved> => {
    try {
      // Subject and version are for display only: asked beside the schema, never waited on alone.
      const [schema, versions] = await Promise.all([
        fetchSchema(ref),
        ref.kind === "id" ? source.versionsOfId(ref.id).catch(() => []) : Promise.resolve([]),
      ]);
      const compiled = await compileSchema(source, schema, opts.maxDepth);
      const sv = versions[0];
      const codec: Codec = sv ? { ...compiled, subject: sanitizeText(sv.subject), version: sv.version } : compiled;
      codecs.set(refKey(ref), codec);
      while (codecs.size > opts.maxEntries) codecs.delete(codecs.keys().next().value!);
      return { ok: true, codec };
    } catch (err) {
      const why = err instanceof SchemaNotFound ? "not in the registry" : err instanceof Error ? err.message : String(err);
      const error = sanitizeText(`${describe(ref)}: ${why}`).slice(0, 500);
      const notFound = err instanceof SchemaNotFound;
      failures.set(refKey(ref), { error, notFound, until: now() + opts.retryAfterMs });
      while (failures.size > opts.maxEntries) failures.delete(failures.keys().next().value!);
      return { ok: false, error, notFound };
    }
  };

  return {
    peek(ref) {
      const key = refKey(ref);
      const codec = codecs.get(key);
      if (codec !== undefined) {
        // Re-insert: Map order is the LRU order.
        codecs.delete(key);
        codecs.set(key, codec);
        return { ok: true, codec };
      }
      const failed = failures.get(key);
      if (failed === undefined) return undefined;
      if (failed.until > now()) return { ok: false, error: failed.error, notFound: failed.notFound };
      failures.delete(key);
      return undefined;
    },
    resolve(ref) {
      const key = refKey(ref);
      let p = inFlight.get(key);
      if (p === undefined) {
        p = load(ref).finally(() => inFlight.delete(key));
        inFlight.set(key, p);
      }
      return p;
    },
    size: () => codecs.size,
  };
}
