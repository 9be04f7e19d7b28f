/** ISO 8601 of epoch milliseconds; null when not a finite time in Date range, or negative (Kafka's -1 means "no timestamp"). */
export function isoFromMillis(ms: number): string | null {
  if (!Number.isFinite(ms) || ms < 0) return null;
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
