"use client";
// What the answer says beyond its rows: the index no longer holds part of the range, a filtered
// search stopped at its bound, the live tail paused or failing; and an empty window explained.
import type { TopicDetail } from "@/server/contract/topics";
import { errorText } from "../api";
import { AgoAndAt } from "../time";
import type { Tail } from "./use-tail";
import type { RecordsPage } from "./topics-api";
import { customChanges, hasFilters, clearedFilters, type BrowseState } from "./url-state";
import type { ParamChanges } from "../use-url-params";
import s from "./topics.module.css";

export function Notes({ first, last, tail, isError, error }: { first: RecordsPage; last: RecordsPage | null; tail: Tail; isError: boolean; error: unknown }) {
  return (
    <>
      {first.retention && (
        <p className={s.note} role="note" data-testid="retention-note" title={first.retention.message}>
          {first.retention.oldestOffset !== undefined ? (
            <>
              The index holds this partition from offset <span className="mono">{first.retention.oldestOffset}</span> on; the offset asked for is earlier.
            </>
          ) : first.retention.oldestIndexed !== null ? (
            <>
              The index holds records of this topic from <AgoAndAt iso={first.retention.oldestIndexed} /> on; the range asked for starts earlier.
            </>
          ) : (
            first.retention.message
          )}{" "}
          Older records were removed by retention (<code>FLOWTAP_RETENTION_DAYS</code>) or never indexed.
        </p>
      )}
      {last?.scan && (
        <p className={s.note} role="note" data-testid="scan-note">
          {last.scan.message}
        </p>
      )}
      {tail.overflow && <p className={s.note}>Live tail paused: more than 1,000 new records arrived. Refresh to start from the newest.</p>}
      {tail.error && <p className={s.stale}>Live tail: {tail.error}; trying again.</p>}
      {isError && <p className={s.stale}>Loading failed ({errorText(error)}); showing the rows loaded before.</p>}
    </>
  );
}

const HOUR = 3_600_000;

/** No row: say whether the topic is quiet here, and offer where its records are. */
export function NothingInWindow({ page, summary, state, hasMore, onChange }: { page: RecordsPage; summary: TopicDetail | null; state: BrowseState; hasMore: boolean; onChange: (c: ParamChanges) => void }) {
  const w = page.window;
  const newest = summary?.newest ?? null;
  const before = newest !== null && w.from !== null && newest < w.from;
  return (
    <div className="state" data-testid="no-records">
      <p>
        {hasMore
          ? "No record matched among those examined so far."
          : w.from !== null
            ? "No record of this topic in this time range matches."
            : "No record at or past this offset matches."}
      </p>
      {before && newest !== null && (
        <p>
          The newest record of this topic is from <AgoAndAt iso={newest} />.{" "}
          <button type="button" onClick={() => onChange(customChanges(new Date(Date.parse(newest) - HOUR).toISOString(), newest))}>
            Show the hour before it
          </button>
        </p>
      )}
      {hasFilters(state) && (
        <button type="button" onClick={() => onChange(clearedFilters)}>
          Clear filters
        </button>
      )}
    </div>
  );
}
