// Display helpers over the shared flow analysis (server/analysis/flow-analysis.ts) that only the
// timeline and the table need: the gap label's wording and the scroll window's first row.
import type { AnalyzedEvent } from "@/server/analysis/flow-analysis";
import { formatGap } from "../time-format";

/** The gap label shown beside a row, or "" for the first. */
export function gapLabel(row: AnalyzedEvent): string {
  return row.gapMs === null ? "" : formatGap(row.gapMs);
}

/** Index of the first row whose y is at or after `y` (rows are sorted by y). */
export function firstRowAtOrAfter(rows: readonly AnalyzedEvent[], y: number): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (rows[mid]!.y < y) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
