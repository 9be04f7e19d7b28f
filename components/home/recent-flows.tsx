"use client";
import { keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import { errorText, FLOW_STATUSES, healthDetail, listFlows, type FlowStatus } from "../api";
import { useHealth } from "../use-health";
import { FlowList } from "./flow-list";
import styles from "./home.module.css";

const TAB_LABEL: Record<FlowStatus, string> = { all: "All", dlq: "Dead-lettered", stuck: "Stuck", open: "Open", completed: "Completed" };

const EMPTY: Record<FlowStatus, string> = {
  all: "No flows indexed yet.",
  dlq: "No flow touched a dead-letter topic.",
  stuck: "No stuck flows: every open flow had activity recently (FLOWTAP_STUCK_AFTER_S, 5 min by default).",
  open: "No open flows: every flow has seen a terminal event.",
  completed: "No completed flows: none has seen a terminal event (FLOWTAP_TERMINAL_EVENTS).",
};

function EmptyFlows({ status }: { status: FlowStatus }) {
  const tap = healthDetail(useHealth().data)?.tap;
  return (
    <div className="state">
      <p>{EMPTY[status]}</p>
      {status === "all" && tap && (
        <p className="hint">
          {tap.running ? (
            `The tap is running on ${tap.partitions} partitions and has indexed ${tap.totalIndexed.toLocaleString()} records. Records without a correlation or trace ID do not form flows.`
          ) : (
            <>
              No tap is running, or none can reach Kafka, so nothing is being indexed. The tap runs inside the web server unless{" "}
              <code>FLOWTAP_TAP=off</code>; <code>npm run tap</code> runs one on its own.
            </>
          )}
        </p>
      )}
    </div>
  );
}

export function RecentFlows({ status, onStatus }: { status: FlowStatus; onStatus: (s: FlowStatus) => void }) {
  const query = useInfiniteQuery({
    queryKey: ["flows", status],
    queryFn: ({ pageParam, signal }) => listFlows(status, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    // Refresh the newest page while it is all that is shown; once you page back, hold still.
    refetchInterval: (q) => ((q.state.data?.pages.length ?? 0) <= 1 ? 10_000 : false),
    placeholderData: keepPreviousData,
  });
  const flows = query.data?.pages.flatMap((p) => p.flows) ?? [];

  return (
    <section className={styles.section} aria-labelledby="recent-heading">
      <div className={styles.sectionHead}>
        <h2 id="recent-heading">Recent flows</h2>
        <div className="tabs" role="tablist" aria-label="Filter flows by status">
          {FLOW_STATUSES.map((s) => (
            <button key={s} type="button" role="tab" aria-selected={s === status} onClick={() => onStatus(s)}>
              {TAB_LABEL[s]}
            </button>
          ))}
        </div>
        {query.isFetching && <span className="muted small">updating…</span>}
      </div>
      {query.isPending ? (
        <p className="muted">Loading recent flows…</p>
      ) : query.isError && flows.length === 0 ? (
        <div className="error-box" role="status">
          Could not load recent flows: {errorText(query.error)}{" "}
          <button type="button" onClick={() => void query.refetch()}>
            Retry
          </button>
        </div>
      ) : flows.length === 0 ? (
        <EmptyFlows status={status} />
      ) : (
        <div className={query.isPlaceholderData ? styles.dim : undefined}>
          <FlowList flows={flows} />
          <div className={styles.more}>
            {query.hasNextPage ? (
              <button type="button" onClick={() => void query.fetchNextPage()} disabled={query.isFetchingNextPage}>
                {query.isFetchingNextPage ? "Loading…" : "Load more"}
              </button>
            ) : (
              <span className="muted small">End of the list: {flows.length.toLocaleString()} flows.</span>
            )}
            {query.isFetchNextPageError && <span className="error-box">Could not load more: {errorText(query.error)}</span>}
          </div>
        </div>
      )}
    </section>
  );
}
