// Which headers a replayed record carries: the dead-letter record's own, minus the
// dead-letter bookkeeping (a replay is a fresh delivery, and left in place those headers
// would make the record look like a dead letter on its source topic), plus Flowtap's three.
import type { RawHeaderValue } from "../extract/types";

export const REPLAY_ID = "x-flowtap-replay-id";
export const REPLAY_OF = "x-flowtap-replay-of";
export const REPLAY_COUNT = "x-flowtap-replay-count";

const DEAD_LETTER_HEADER = /^(kafka_dlt-|kafka_original-|kafka_exception-|retry_topic-|x-original-|x-exception-|__connect\.errors\.|__streams\.errors\.|kafka_throwable_|source_(topic|partition|offset|consumer_group)$)/i;
const FLOWTAP_HEADER = /^x-flowtap-replay-/i;

function lastValue(v: RawHeaderValue): Uint8Array | string | null {
  const one = Array.isArray(v) ? v[v.length - 1] : v;
  return one ?? null;
}

/** The replay count the dead-letter record already carries (0 when it was never replayed). */
export function previousReplayCount(headers: Record<string, RawHeaderValue>): number {
  for (const [name, v] of Object.entries(headers)) {
    if (name.toLowerCase() !== REPLAY_COUNT) continue;
    const text = lastValue(v);
    const n = Number(typeof text === "string" ? text : text ? Buffer.from(text).toString("utf8") : "");
    return Number.isInteger(n) && n > 0 ? n : 0;
  }
  return 0;
}

export function replayHeaders(
  headers: Record<string, RawHeaderValue>,
  replay: { id: string; of: string; count: number },
): Record<string, Buffer | Buffer[]> {
  const out: Record<string, Buffer | Buffer[]> = {};
  for (const [name, v] of Object.entries(headers)) {
    if (DEAD_LETTER_HEADER.test(name) || FLOWTAP_HEADER.test(name)) continue;
    // A repeated header is sent repeated, as it came.
    const values = (Array.isArray(v) ? v : [v]).filter((x): x is Uint8Array | string => x !== null && x !== undefined).map((x) => Buffer.from(x));
    if (values.length) out[name] = values.length === 1 ? values[0]! : values;
  }
  out[REPLAY_ID] = Buffer.from(replay.id);
  out[REPLAY_OF] = Buffer.from(replay.of);
  out[REPLAY_COUNT] = Buffer.from(String(replay.count));
  return out;
}
