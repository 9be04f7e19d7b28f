"use client";
// The page for an ID the index does not know. At 3 a.m. the question is "wrong ID, or is the
// tap behind / not looking at that topic?", so say what the tap has and where to look.
import Link from "next/link";
import { healthDetail } from "../api";
import { AgoAndAt } from "../time";
import { useHealth } from "../use-health";
import { NOT_FOUND_POLL_MS } from "./use-flow";

export function NotIndexed({ correlationId }: { correlationId: string }) {
  const tap = healthDetail(useHealth().data)?.tap;
  return (
    <main className="page">
      <div className="state" data-testid="not-indexed">
        <h1>
          Not indexed (yet): <span className="mono">{correlationId}</span>
        </h1>
        <p>No event with this correlation ID is in the index. This page checks again every {NOT_FOUND_POLL_MS / 1000} s.</p>
        {tap && (
          <p>
            {tap.totalIndexed > 0 && tap.indexedSince ? (
              <>
                The index holds {tap.totalIndexed.toLocaleString()} records, the oldest from <AgoAndAt iso={tap.indexedSince} />.{" "}
              </>
            ) : (
              <>The index is empty: the tap has not indexed any record yet. </>
            )}
            {tap.running ? (
              <>
                A tap is running on {tap.partitions} partitions
                {tap.lastIndexedAt ? (
                  <>
                    , last record indexed <AgoAndAt iso={tap.lastIndexedAt} />
                  </>
                ) : null}
                .
              </>
            ) : (
              <strong>No tap is running, so nothing new is being indexed.</strong>
            )}
          </p>
        )}
        <h2>Things to check</h2>
        <ul>
          <li>
            Is it really a correlation ID? It may be an event ID, trace ID or record key:{" "}
            <Link href={`/?q=${encodeURIComponent(correlationId)}`}>search for it</Link>. Matching is exact and case-sensitive.
          </li>
          <li>
            Does the tap read the topic these events went to? <code>FLOWTAP_TOPICS_INCLUDE</code> and <code>FLOWTAP_TOPICS_EXCLUDE</code> decide
            (all topics except internal <code>_…</code> ones by default).
          </li>
          <li>
            Do the records carry the ID where Flowtap looks (an <code>X-Correlation-ID</code> header, <code>correlationId</code> in the payload, …)?
            If not, add a rule to <code>FLOWTAP_CORRELATION_RULES</code>.
          </li>
          <li>
            Are the events older than the index? Retention is <code>FLOWTAP_RETENTION_DAYS</code> (7 days by default).
          </li>
        </ul>
        <p>
          <Link href="/">Back to recent flows</Link>
        </p>
      </div>
    </main>
  );
}
