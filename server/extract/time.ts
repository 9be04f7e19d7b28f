/** The last instant PostgreSQL can read back from an ISO 8601 text: later years need a sign JS adds and PostgreSQL refuses. */
const MAX_MS = 253_402_300_799_999; // 9999-12-31T23:59:59.999Z
const EPOCH = "1970-01-01T00:00:00.000Z";
const MAX_ISO = "9999-12-31T23:59:59.999Z";

/** ISO 8601 of epoch milliseconds; null when not a finite time from 1970 to the end of year 9999 (Kafka's -1 means "no timestamp"). */
export function isoFromMillis(ms: number): string | null {
  if (!Number.isFinite(ms) || ms < 0 || ms > MAX_MS) return null;
  return new Date(ms).toISOString();
}

/**
 * A record's timestamp (int64 milliseconds as decimal text) brought into what the index can hold:
 * past year 9999 (a producer writing microseconds as milliseconds) it is clamped to the end of
 * 9999, below zero or unreadable it becomes the epoch, and `anomaly` says so. Kafka's -1 ("no
 * timestamp", old message formats) is the epoch without an anomaly, as it is not a wrong value.
 */
export function recordTimestamp(text: string): { iso: string; anomaly: string | null } {
  const ms = /^-?\d{1,20}$/.test(text) ? BigInt(text) : null;
  if (ms === null) return { iso: EPOCH, anomaly: "timestamp is not a number; shown as 1970-01-01" };
  if (ms === -1n) return { iso: EPOCH, anomaly: null };
  if (ms < 0n) return { iso: EPOCH, anomaly: `timestamp ${ms} ms is before 1970; shown as 1970-01-01` };
  if (ms > BigInt(MAX_MS)) return { iso: MAX_ISO, anomaly: `timestamp ${ms} ms is past year 9999; shown as ${MAX_ISO}` };
  return { iso: new Date(Number(ms)).toISOString(), anomaly: null };
}
