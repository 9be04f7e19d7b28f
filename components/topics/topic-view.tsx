"use client";
// /topics/<topic>: the topic's records from the index, a window (or a partition from an offset)
// at a time, filtered from the URL, a page at a time; new records come in on top while the
// page is open (live tail, pausable); a clicked row opens its detail (?record=…).
import Link from "next/link";
import { useCallback, useEffect, useMemo, useState, type ReactNode } from "react";
import type { TopicDetail } from "@/server/contract/topics";
import { eventKey } from "@/server/analysis/flow-analysis";
import { ApiError, errorText } from "../api";
import { CopyButton } from "../copy-button";
import { parseRecordKey } from "../dlq/url-state";
import { isTyping } from "../search-box";
import { AgoAndAt } from "../time";
import { useUrlParams } from "../use-url-params";
import { BrowseControls } from "./browse-controls";
import { RecordDetail } from "./record-detail";
import { RecordList } from "./record-list";
import { Notes, NothingInWindow } from "./topic-notes";
import type { RecordsPage } from "./topics-api";
import { useTail } from "./use-tail";
import { useRecord, useRecords, useTopic } from "./use-topics";
import { API_PARAMS, canTail, stateFrom, type BrowseState } from "./url-state";
import s from "./topics.module.css";

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

function Header({ topic, summary, live, onLive, refreshing, onRefresh }: { topic: string; summary: TopicDetail | null | undefined; live: boolean | null; onLive: (on: boolean) => void; refreshing: boolean; onRefresh: () => void }) {
  return (
    <div className={s.header}>
      <div className={s.titleRow}>
        <Link href="/topics" className="small">
          ← all topics
        </Link>
        <h1 className={s.title}>
          <span className="mono">{topic}</span>
        </h1>
        <CopyButton text={topic} what="topic name" />
        {summary?.isDlq && (
          <Link href={`/dlq/${encodeURIComponent(topic)}`} className="badge badge-dlq">
            dead letters
          </Link>
        )}
        <span className={s.spacer} />
        {live !== null && (
          <button type="button" className={live ? s.liveOn : undefined} aria-pressed={live} onClick={() => onLive(!live)} data-testid="live-toggle" title={live ? "New records appear on top as they are indexed: click to pause" : "Paused: click to show new records as they are indexed"}>
            {live ? "● Live" : "Paused"}
          </button>
        )}
        <button type="button" onClick={onRefresh} disabled={refreshing}>
          {refreshing ? "Refreshing…" : "Refresh"}
        </button>
      </div>
      {summary && (
        <div className={s.statsRow}>
          <span>
            <strong>{summary.records.toLocaleString()}</strong> records indexed
          </span>
          <span>
            <strong>{summary.partitions}</strong> partition{summary.partitions === 1 ? "" : "s"}
          </span>
          {summary.newest && (
            <span>
              newest <AgoAndAt iso={summary.newest} />
            </span>
          )}
          {summary.oldest && (
            <span>
              oldest <AgoAndAt iso={summary.oldest} />
            </span>
          )}
        </div>
      )}
    </div>
  );
}

/** The open record: from the shown rows, or fetched when a pasted link names one beyond them. */
function useOpenRecord(key: string | null, shown: readonly RecordsPage["records"][number][]) {
  const listed = key === null ? undefined : shown.find((r) => eventKey(r) === key);
  const ref = key !== null && !listed ? parseRecordKey(key) : null;
  const fetched = useRecord(ref);
  return { record: listed ?? fetched.data ?? null, missing: key !== null && !listed && (ref === null || fetched.data === null) };
}

export function TopicView({ topic }: { topic: string }) {
  const [params, setParams] = useUrlParams();
  const state: BrowseState = useMemo(() => stateFrom(params), [params]);
  const recordKey = params.get("record");
  const summary = useTopic(topic);
  const list = useRecords(topic, state);
  const pages = list.data?.pages;
  const loaded = useMemo(() => pages?.flatMap((p) => p?.records ?? []) ?? [], [pages]);
  const [epoch, setEpoch] = useState(0);
  const tailable = canTail(state);
  const live = tailable && params.get("live") !== "off";
  const tail = useTail(topic, state, loaded, pages?.[0]?.window.from ?? null, epoch, live && pages !== undefined);
  const shown = useMemo(() => [...tail.rows, ...loaded], [tail.rows, loaded]);
  const open = useCallback((key: string | null) => setParams({ record: key }), [setParams]);
  const close = useCallback(() => open(null), [open]);
  const detail = useOpenRecord(recordKey, shown);
  useEscape(recordKey !== null, close);
  const refresh = () => {
    setEpoch((e) => e + 1);
    void Promise.all([summary.refetch(), list.refetch()]);
  };

  if (list.isPending) {
    return (
      <main className="page">
        <p className="muted" role="status">
          Loading the records of <span className="mono">{topic}</span>…
        </p>
      </main>
    );
  }
  if (pages === undefined) {
    const badRequest = list.error instanceof ApiError && list.error.status === 400;
    return (
      <State title={badRequest ? "This link's parameters are not valid" : "The records could not be loaded"}>
        <p className="error-box">{errorText(list.error)}</p>
        <p>
          {badRequest ? (
            <button type="button" onClick={() => setParams(Object.fromEntries(API_PARAMS.map((n) => [n, null])))}>
              Show the last 15 minutes
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
  const first = pages[0];
  if (!first) {
    return (
      <State title="This topic is not in the index">
        <p>
          The index holds no record of <span className="mono">{topic}</span>. The tap may not read it (<code>FLOWTAP_TOPICS_INCLUDE</code>,{" "}
          <code>FLOWTAP_TOPICS_EXCLUDE</code>), it may be empty, or its records may be older than the index (<code>FLOWTAP_RETENTION_DAYS</code>).
        </p>
        <p>
          <Link href="/topics">See every indexed topic</Link>
        </p>
      </State>
    );
  }
  const lastPage = pages.at(-1) ?? null;
  const newestFirst = state.order !== "oldest";
  return (
    <main className={s.page}>
      <Header topic={topic} summary={summary.data} live={tailable ? live : null} onLive={(on) => setParams({ live: on ? null : "off" })} refreshing={list.isFetching && !list.isFetchingNextPage} onRefresh={refresh} />
      <BrowseControls state={state} partitions={summary.data?.partitionList ?? []} onChange={setParams} />
      <Notes first={first} last={lastPage} tail={tail} isError={list.isError} error={list.error} />
      <div className={s.body}>
        <section className={`${s.main} ${list.isPlaceholderData ? s.dim : ""}`} aria-label="Records">
          {shown.length === 0 ? (
            <NothingInWindow page={first} summary={summary.data ?? null} state={state} hasMore={list.hasNextPage} onChange={setParams} />
          ) : (
            <RecordList records={shown} fresh={tail.rows.length} openKey={recordKey} onOpen={open} label={`Records of ${topic}, ${newestFirst ? "newest" : "oldest"} first`} />
          )}
          <div className={s.footer}>
            {list.hasNextPage ? (
              <button type="button" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage} data-testid="load-more">
                {list.isFetchingNextPage ? "Loading…" : newestFirst ? "Load older" : "Load newer"}
              </button>
            ) : (
              shown.length > 0 && <span className="muted small">End of the range: {shown.length.toLocaleString()} records.</span>
            )}
            {list.hasNextPage && <span className="muted small">{shown.length.toLocaleString()} shown, more in the range</span>}
          </div>
        </section>
        {detail.record ? (
          <RecordDetail record={detail.record} onClose={close} />
        ) : detail.missing ? (
          <aside className={s.missing} role="status">
            <p>
              Record <span className="mono">{recordKey}</span> is not in the index.
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
