import "server-only";
// The decode stage's entry: one Decoder per tap process, built from SCHEMA_REGISTRY_URL. With no
// registry configured there is no Decoder and the tap does not call this stage at all.
import type { SchemaRegistryConfig } from "../config";
import type { DecodedRecord, RawRecord } from "../extract/types";
import { decodeRecords } from "./decode-records";
import { createRegistryClient } from "./registry-client";
import { createSchemaCache } from "./schema-cache";
import type { RegistryUrlState, SchemaSource } from "./types";

export type { RegistryUrlState, SchemaSource } from "./types";
export { decodeRecords } from "./decode-records";
export { createSchemaCache } from "./schema-cache";

export interface Decoder {
  /** One result per record, in order; undefined for a record with nothing in a wire format. */
  decode(records: readonly RawRecord[]): Promise<Array<DecodedRecord | undefined>>;
  /** Per registry URL: answered last time or not, when, and the last error (no credentials). */
  state(): RegistryUrlState[];
  cachedSchemas(): number;
}

/** An ID's schema never changes, so 10,000 compiled schemas is a bound, not an expiry. */
const MAX_SCHEMAS = 10_000;
/** Nesting beyond this is refused, as the extractor refuses JSON nested deeper than its limit. */
const MAX_DEPTH = 64;

export function createDecoder(config: SchemaRegistryConfig, source?: SchemaSource & { state?(): RegistryUrlState[] }): Decoder {
  const client = source ?? createRegistryClient(config);
  const cache = createSchemaCache(client, { maxEntries: MAX_SCHEMAS, retryAfterMs: config.retryAfterMs, maxDepth: MAX_DEPTH });
  return {
    decode: (records) => decodeRecords(records, { cache, waitMs: config.waitMs }),
    state: () => client.state?.() ?? [],
    cachedSchemas: () => cache.size(),
  };
}
