"use client";
// /dlq/<topic>: the topic's dead letters, filtered from the URL, newest first, a page at a
// time; ticked rows feed the selection bar, a clicked row opens its detail (?record=…).
import Link from "next/link";
import { useCallback, useEffect, useMemo, type ReactNode } from "react";
import type { DeadLetterMessage } from "@/server/dlq/dead-letter-json";
import { ApiError, errorText } from "../api";
import { eventKey } from "@/server/analysis/flow-analysis";
import { isTyping } from "../search-box";
import { useUrlParams } from "../use-url-params";
import { FilterBar } from "./filter-bar";
import { MessageDetail } from "./message-detail";
import { MessageList } from "./message-list";
import { RecordReplayActions, ReplayPanel, SelectionReplayActions, useCanReplay } from "./replay-actions";
import { SelectionBar } from "./selection-bar";
import { TopicHeader } from "./topic-header";
import { useDeadLetterMessages, useDeadLetterRecord, useDeadLetterTopic } from "./use-dead-letters";
import { useReplay } from "./use-replay";
import { useSelection } from "./use-selection";
import { filterChanges, filtersFrom, filtersToParams, hasFilters, NO_FILTERS, parseRecordKey, type DlqFilters } from "./url-state";
import s from "./messages.module.css";

function useEscape(active: boolean, onEscape: () => void) {
  useEffect(() => {
    if (!active) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape" && !isTyping(e.target)) onEscape();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [active, onEscape]);
}

function State({ title, children }: { title: string; children: ReactNode }) {
  return (
    <main className="page">
      <div className="state">
        <h1>{title}</h1>
        {children}
      </div>
    </main>
  );
}

/** The open record: from the loaded rows, or fetched when a pasted link names one beyond them. */
function useOpenRecord(key: string | null, loaded: readonly DeadLetterMessage[]) {
  const listed = key === null ? undefined : loaded.find((m) => eventKey(m) === key);
  const fetched = useDeadLetterRecord(key !== null && !listed ? key : null);
  const unknown = key !== null && !listed && (parseRecordKey(key) === null || fetched.data === null);
  return { message: listed ?? fetched.data?.message ?? null, missing: unknown };
}

export function DeadLetterTopicView({ topic }: { topic: string }) {
  const [params, setParams] = useUrlParams();
  const filters = useMemo(() => filtersFrom(params), [params]);
  const recordKey = params.get("record");
  const summary = useDeadLetterTopic(topic);
  const list = useDeadLetterMessages(topic, filters);
  const pages = list.data?.pages;
  const messages = useMemo(() => pages?.flatMap((p) => p?.messages ?? []) ?? [], [pages]);
  const loadedKeys = useMemo(() => messages.map(eventKey), [messages]);
  const selection = useSelection(`${topic}?${filtersToParams(filters)}`);
  const open = useCallback((key: string | null) => setParams({ record: key }), [setParams]);
  const setFilters = useCallback((f: DlqFilters) => setParams(filterChanges(f)), [setParams]);
  const close = useCallback(() => open(null), [open]);
  const detail = useOpenRecord(recordKey, messages);
  const replay = useReplay(topic);
  const canReplay = useCanReplay();
  useEscape(recordKey !== null, close);

  if (list.isPending) {
    return (
      <main className="page">
        <p className="muted" role="status">
          Loading the dead letters of <span className="mono">{topic}</span>…
        </p>
      </main>
    );
  }
  if (pages === undefined) {
    const badRequest = list.error instanceof ApiError && list.error.status === 400;
    return (
      <State title={badRequest ? "This link's filters are not valid" : "The dead letters could not be loaded"}>
        <p className="error-box">{errorText(list.error)}</p>
        <p>
          {badRequest ? (
            <button type="button" onClick={() => setFilters(NO_FILTERS)}>
              Clear filters
            </button>
          ) : (
            <button type="button" onClick={() => void list.refetch()}>
              Try again
            </button>
          )}
        </p>
      </State>
    );
  }
  if (pages[0] === null) {
    return (
      <State title={`No dead letters indexed for ${topic}`}>
        <p>
          The index holds no record of <span className="mono">{topic}</span> that is a dead letter. The topic may not be a dead-letter topic, its
          records may be older than the index (<code>FLOWTAP_RETENTION_DAYS</code>), or the tap may not read it (<code>FLOWTAP_TOPICS_INCLUDE</code>).
        </p>
        <p>
          <Link href="/dlq">See every dead-letter topic</Link>
        </p>
      </State>
    );
  }
  const reasons = summary.data?.reasons ?? [];
  return (
    <main className={s.page}>
      <TopicHeader topic={topic} summary={summary.data} refreshing={list.isFetching} onRefresh={() => void Promise.all([summary.refetch(), list.refetch()])} />
      <FilterBar filters={filters} reasons={reasons} sourceTopics={summary.data?.sourceTopic ? [summary.data.sourceTopic] : []} onChange={setFilters} />
      <SelectionBar selection={selection} loaded={loadedKeys} actions={canReplay ? <SelectionReplayActions replay={replay} selection={selection} filters={filters} /> : undefined} />
      <ReplayPanel replay={replay} />
      {list.isError && <p className={s.stale}>Refreshing failed ({errorText(list.error)}); showing the rows loaded before.</p>}
      <div className={s.body}>
        <section className={`${s.main} ${list.isPlaceholderData ? s.dim : ""}`} aria-label="Dead letters">
          {messages.length === 0 ? (
            <div className="state">
              <p>No dead letter of this topic matches these filters.</p>
              {hasFilters(filters) && (
                <button type="button" onClick={() => setFilters(NO_FILTERS)}>
                  Clear filters
                </button>
              )}
            </div>
          ) : (
            <MessageList messages={messages} openKey={recordKey} onOpen={open} selection={selection} />
          )}
          <div className={s.footer}>
            {list.hasNextPage ? (
              <button type="button" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
                {list.isFetchingNextPage ? "Loading…" : "Load older"}
              </button>
            ) : (
              messages.length > 0 && <span className="muted small">End of the list: {messages.length.toLocaleString()} dead letters.</span>
            )}
            {list.hasNextPage && <span className="muted small">{messages.length.toLocaleString()} loaded, older ones remain</span>}
          </div>
        </section>
        {detail.message ? (
          <MessageDetail message={detail.message} onClose={close} actions={canReplay ? <RecordReplayActions message={detail.message} replay={replay} /> : undefined} />
        ) : detail.missing ? (
          <aside className={s.missing} role="status">
            <p>
              Record <span className="mono">{recordKey}</span> is not a dead letter in the index.
            </p>
            <button type="button" onClick={close}>
              Close
            </button>
          </aside>
        ) : null}
      </div>
    </main>
  );
}
