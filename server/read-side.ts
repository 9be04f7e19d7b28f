import "server-only";
// The web process's own view of the Schema Registry: a decoder for decode-on-read and a probe for
// health. Its own, not the tap's: the tap may run in another process, and an answer must not wait
// as long as a tap batch may. So the registry is waited on for at most 2 s an answer, and an ID or
// URL that failed is asked again after 5 s rather than the tap's FLOWTAP_DECODE_RETRY_S: an
// engineer who has just registered the missing schema reloads and sees the record decoded.
import type { Config } from "./config";
import { createDecoder } from "./decode";
import { createDecodeOnRead, noDecodeOnRead, type DecodeOnRead } from "./decode/decode-on-read";
import { createRegistryProbe, type RegistryProbe } from "./health/registry-probe";
import { readOffsets } from "./kafka/read-records";

const READ_WAIT_MS = 2_000;
const READ_RETRY_MS = 5_000;

export function createReadSide(config: Config): { decodeOnRead: DecodeOnRead; registry: RegistryProbe | null } {
  const r = config.schemaRegistry;
  if (r === null) return { decodeOnRead: noDecodeOnRead, registry: null };
  const decoder = createDecoder({ ...r, waitMs: Math.min(r.waitMs, READ_WAIT_MS), retryAfterMs: Math.min(r.retryAfterMs, READ_RETRY_MS) });
  return {
    decodeOnRead: createDecodeOnRead({ decoder, limits: config.extract, readOriginals: (refs, timeoutMs) => readOffsets(config.kafka, refs, timeoutMs) }),
    registry: createRegistryProbe(r),
  };
}
