// Transaction markers at the log end are not lag.
//
// Committing or aborting a transaction writes one control record (the marker) after the
// transaction's records in every partition it touched; it takes an offset but no consumer ever
// sees it. A consumer that commits "offset of the last record it processed + 1" — every
// exactly-once consume-transform-produce loop does, through sendOffsets in its own transaction,
// and so do kafkajs apps committing by hand — is then left on the marker: end − committed = 1
// for as long as the producer stays idle, and after a window of ticks that looks like STALL.
//
// The sampler cannot see which offsets are control records (kafkajs exposes no fetch that
// returns them, and reading the tail with a consumer each tick would cost a group join). The
// rule: one offset left, with neither the committed nor the end offset moved since the previous
// tick, is taken as a marker, i.e. caught up. A live consumer given a record reads it within a
// poll, so a real record left at the very end of an idle partition for a whole tick is rare, and
// it stops being hidden the moment anything else is produced (lag ≥ 2 counts as usual). The end
// offset is already the last stable offset: kafkajs lists offsets READ_COMMITTED, so records of
// a transaction still open are not counted as lag either.
import type { WindowSample } from "./status";

export function markerAtEnd(previous: WindowSample | undefined, committed: bigint | null, end: bigint): boolean {
  return previous !== undefined && committed !== null && committed === end - 1n && previous.committed === committed && previous.end === end;
}

export const MARKER_REASON = "caught up: the one offset left at the log end has not moved for a tick, taken as a transaction marker (a control record no consumer reads)";
