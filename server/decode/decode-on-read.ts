import "server-only";
/**
 * Decode on read: records the tap indexed as binary because their schema could not be had then
 * (registry down or slow, an ID registered later) are decoded again when an answer carries them.
 *
 * - From the index's copy when it is the whole value. A value the index cut (past
 *   FLOWTAP_VALUE_CAP_BYTES) first learns its schema from its stored first bytes; only when the
 *   registry knows it is the original read from Kafka (a throwaway group: seconds, so at most
 *   MAX_KAFKA_READS an answer, remembered afterwards).
 * - Bounded: MAX_REDECODES records an answer (the first ones in its order), the registry waited on
 *   for the read decoder's wait (≤ 2 s; a URL that failed is skipped for a while, so a down
 *   registry costs later answers nothing), Kafka for KAFKA_WAIT_MS (a read still going then
 *   finishes in the background, for the next answer). What does not decode in time is answered
 *   as stored: binary, with its decodeError.
 * - Nothing is written back. The row's correlation ID, type and flow were found on the binary
 *   value; rewriting the value alone would leave them disagreeing, and re-extracting would move
 *   the record between flows under the tap's feet. The tap owns the index; reads stay reads.
 */
import type { RawRecord } from "../extract/types";
import type { EventJson } from "../flows/event-json";
import type { Decoder } from "./index";
import { applyPatch, decodedPatch, needsOriginal, storedRecord, wantsRedecode, type DecodedPatch, type DisplayLimits } from "./stored-record";

export type DecodeOnRead = <T extends EventJson>(events: T[]) => Promise<T[]>;

export interface RecordRef {
  topic: string;
  partition: number;
  offset: string;
}

export interface DecodeOnReadDeps {
  decoder: Pick<Decoder, "decode">;
  /** Originals from Kafka, keyed "topic/partition/offset"; absent when Kafka no longer has them. */
  readOriginals: (refs: RecordRef[], timeoutMs: number) => Promise<Map<string, RawRecord>>;
  limits: DisplayLimits;
  /** How long an answer waits for originals (the read goes on after, and fills the memory). */
  kafkaWaitMs?: number;
  now?: () => number;
}

export const MAX_REDECODES = 50;
export const MAX_KAFKA_READS = 5;
/**
 * A throwaway group's first join waits for the broker's group.initial.rebalance.delay.ms (3 s by
 * default), so an answer cannot wait for every read: it waits this long, and a read still going
 * finishes in the background, for the next answer (a live flow is polled every 3 s).
 */
const KAFKA_WAIT_MS = 3_000;
/** The read itself, as GET /api/records allows it. */
const KAFKA_READ_MS = 15_000;
/** A record Kafka could not give, or whose original does not decode, is not asked for again this long. */
const RETRY_ORIGINAL_MS = 30_000;
/** Decoded originals kept, by the size of their JSON. */
const ORIGINALS_CACHE_CHARS = 8 * 1024 * 1024;

/** Identity when no registry is configured. */
export const noDecodeOnRead: DecodeOnRead = async (events) => events;

const coords = (e: RecordRef) => `${e.topic}/${e.partition}/${e.offset}`;
/** Size and time too: a re-created topic puts another record at the same offset. */
const identity = (e: EventJson) => `${coords(e)}/${e.size}/${e.timestamp}`;

function deadline<T>(p: Promise<T>, ms: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((r) => {
    timer = setTimeout(() => r(null), ms);
    // A deadline alone never keeps the process up (a hung read must not hold a shutdown).
    timer.unref();
  });
  return Promise.race([p.catch(() => null), late]).finally(() => clearTimeout(timer));
}

interface Remembered {
  patch: DecodedPatch | null;
  chars: number;
  until: number;
}

export function createDecodeOnRead(deps: DecodeOnReadDeps): DecodeOnRead {
  const now = deps.now ?? Date.now;
  const kafkaWaitMs = deps.kafkaWaitMs ?? KAFKA_WAIT_MS;
  const originals = new Map<string, Remembered>();
  /** Reads in flight, by record: polls of the same flow wait on them instead of starting more. */
  const reading = new Map<string, Promise<void>>();
  let chars = 0;

  const remember = (key: string, patch: DecodedPatch | null) => {
    const size = patch === null ? 0 : (JSON.stringify(patch.value)?.length ?? 0);
    const old = originals.get(key);
    if (old) chars -= old.chars;
    originals.delete(key);
    originals.set(key, { patch, chars: size, until: patch === null ? now() + RETRY_ORIGINAL_MS : Infinity });
    chars += size;
    for (const [k, v] of originals) {
      if (chars <= ORIGINALS_CACHE_CHARS && originals.size <= 10_000) break;
      originals.delete(k);
      chars -= v.chars;
    }
  };

  /** Reads the originals, decodes them (their schemas are cached by now) and remembers the outcome. */
  const readAndDecode = async (wanted: EventJson[]): Promise<void> => {
    const found = await deadline(deps.readOriginals(wanted, KAFKA_READ_MS), KAFKA_READ_MS + 5_000);
    // A record at that offset of another size is another generation's (a re-created topic).
    const usable = wanted.flatMap((e) => {
      const raw = found?.get(coords(e));
      if (raw?.value?.length !== e.size) {
        remember(identity(e), null);
        return [];
      }
      return [{ e, raw: { ...raw, key: null } }];
    });
    if (usable.length === 0) return;
    const decoded = await deps.decoder.decode(usable.map((u) => u.raw));
    usable.forEach(({ e }, j) => remember(identity(e), decodedPatch(decoded[j]?.value, e.size, deps.limits)));
  };

  const startRead = (wanted: EventJson[]): Promise<void> => {
    const p = readAndDecode(wanted)
      .catch(() => wanted.forEach((e) => remember(identity(e), null)))
      .finally(() => wanted.forEach((e) => reading.delete(identity(e))));
    for (const e of wanted) reading.set(identity(e), p);
    return p;
  };

  return async (events) => {
    const picked: number[] = [];
    for (let i = 0; i < events.length && picked.length < MAX_REDECODES; i++) if (wantsRedecode(events[i]!)) picked.push(i);
    if (picked.length === 0) return events;
    const out = events.slice();
    // Whole values decode here; cut ones only learn (and cache) their schema from their first bytes.
    const decoded = await deps.decoder.decode(picked.map((i) => storedRecord(events[i]!)!));
    const cut: number[] = [];
    const toRead: EventJson[] = [];
    const inFlight = new Set<Promise<void>>();
    picked.forEach((i, j) => {
      const e = events[i]!;
      const side = decoded[j]?.value;
      if (!needsOriginal(e)) {
        const patch = decodedPatch(side, e.size, deps.limits);
        if (patch) out[i] = applyPatch(e, patch);
        return;
      }
      const known = originals.get(identity(e));
      const busy = reading.get(identity(e));
      if (known?.patch) out[i] = applyPatch(e, known.patch);
      else if (busy) inFlight.add(busy);
      else if ((known === undefined || known.until <= now()) && side?.encoding && toRead.length < MAX_KAFKA_READS) toRead.push(e);
      else return;
      cut.push(i);
    });
    if (toRead.length > 0) inFlight.add(startRead(toRead));
    if (inFlight.size === 0) return out;
    await deadline(Promise.all(inFlight), kafkaWaitMs);
    for (const i of cut) {
      const patch = originals.get(identity(events[i]!))?.patch;
      if (patch) out[i] = applyPatch(events[i]!, patch);
    }
    return out;
  };
}
