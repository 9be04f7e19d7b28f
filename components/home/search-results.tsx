"use client";
import { useQuery } from "@tanstack/react-query";
import type { SearchResult } from "@/server/flows/search-index";
import { errorText, searchIndex } from "../api";
import { AgoAndAt } from "../time";
import { FlowList } from "./flow-list";
import styles from "./home.module.css";

type RecordMatch = Extract<SearchResult, { matched: "record" }>;

function RecordMatches({ records }: { records: RecordMatch[] }) {
  return (
    <>
      <p className="muted small">These records matched but carry no correlation or trace ID, so they belong to no flow.</p>
      <div className={styles.records} role="list">
        {records.map(({ record: r }) => (
          <div key={`${r.topic}/${r.partition}/${r.offset}`} className={styles.record} role="listitem" data-testid="record-match">
            <span className="mono" title="topic/partition/offset">
              {r.topic}/{r.partition}/{r.offset}
            </span>
            <span>{r.eventType ?? <span className="muted">no event type</span>}</span>
            <span className="small">
              <AgoAndAt iso={r.timestamp} />
            </span>
          </div>
        ))}
      </div>
    </>
  );
}

export function SearchResults({ q }: { q: string }) {
  const query = useQuery({ queryKey: ["search", q], queryFn: ({ signal }) => searchIndex(q, signal) });
  const flows = query.data?.flatMap((r) => (r.matched === "flow" ? [r] : [])) ?? [];
  const records = query.data?.flatMap((r) => (r.matched === "record" ? [r] : [])) ?? [];

  return (
    <section className={styles.section} aria-labelledby="results-heading">
      <div className={styles.sectionHead}>
        <h2 id="results-heading">
          Matches for <span className="mono">{q}</span>
        </h2>
      </div>
      {query.isPending ? (
        <p className="muted">Searching the index…</p>
      ) : query.isError ? (
        <div className="error-box" role="status">
          Search failed: {errorText(query.error)}
        </div>
      ) : flows.length === 0 && records.length === 0 ? (
        <div className="state">
          <p>Nothing in the index matches this exactly.</p>
          <p className="hint">
            The match is exact and case-sensitive, on correlation IDs, event IDs, trace IDs and record keys. If the events are only
            seconds old the tap may not have reached them; if they never show up, check that FLOWTAP_TOPICS_INCLUDE covers their topic.
          </p>
        </div>
      ) : (
        <>
          {flows.length > 0 && <FlowList flows={flows} />}
          {records.length > 0 && <RecordMatches records={records} />}
        </>
      )}
    </section>
  );
}
