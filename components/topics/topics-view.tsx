"use client";
// /topics: every topic the index holds, how much of it, from when to when, dead-letter or not.
import Link from "next/link";
import type { TopicSummary } from "@/server/contract/topics";
import { errorText } from "../api";
import { Ago } from "../time";
import { formatLocal } from "../time-format";
import { useHealth } from "../use-health";
import { topicUrl } from "./url-state";
import { useTopics } from "./use-topics";
import d from "../dlq/dlq.module.css";
import s from "./topics.module.css";

function When({ iso }: { iso: string | null }) {
  if (iso === null) return <span className="muted">none left</span>;
  return (
    <>
      <Ago iso={iso} />
      <div className={`mono muted small ${d.nowrap}`}>{formatLocal(iso)}</div>
    </>
  );
}

function NoTopics() {
  const tap = useHealth().data?.tap;
  return (
    <div className="state" data-testid="topics-empty">
      <p>No topic in the index yet.</p>
      <p className="hint">
        The tap indexes the topics that <code>FLOWTAP_TOPICS_INCLUDE</code> matches and <code>FLOWTAP_TOPICS_EXCLUDE</code> does not (internal topics are
        left out); a topic shows here once its first record is indexed.
      </p>
      {tap && !tap.running && (
        <p>
          <strong>No tap is running, so nothing is being indexed.</strong>
        </p>
      )}
    </div>
  );
}

function TopicsTable({ topics }: { topics: readonly TopicSummary[] }) {
  return (
    <table className={`${d.topics} ${s.topicsTable}`}>
      <thead>
        <tr>
          <th scope="col">Topic</th>
          <th scope="col" className={d.num}>Records</th>
          <th scope="col" className={d.num}>Partitions</th>
          <th scope="col">Newest record</th>
          <th scope="col">Oldest record</th>
        </tr>
      </thead>
      <tbody>
        {topics.map((t) => (
          <tr key={t.topic} data-testid="topic-row" data-topic={t.topic}>
            <th scope="row" className={t.isDlq ? undefined : s.plainTopic}>
              <Link href={topicUrl(t.topic)} className="mono">
                {t.topic}
              </Link>{" "}
              {t.isDlq && (
                <Link href={`/dlq/${encodeURIComponent(t.topic)}`} className="badge badge-dlq" title="Holds dead letters: open it in the dead-letter view">
                  dead letters
                </Link>
              )}
            </th>
            <td className={`${d.num} mono`}>{t.records.toLocaleString()}</td>
            <td className={`${d.num} mono`}>{t.partitions}</td>
            <td>
              <When iso={t.newest} />
            </td>
            <td>
              <When iso={t.oldest} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function TopicsView() {
  const query = useTopics();
  const topics = query.data;
  const total = topics?.reduce((n, t) => n + t.records, 0) ?? 0;
  return (
    <main className="page">
      <div className={d.wide}>
        <div className={d.titleRow}>
          <h1 className={d.title}>Topics</h1>
          {topics && topics.length > 0 && (
            <span className="muted">
              {total.toLocaleString()} records indexed on {topics.length} topic{topics.length === 1 ? "" : "s"}
            </span>
          )}
          {query.isFetching && <span className="muted small">updating…</span>}
        </div>
        {query.isPending ? (
          <p className="muted" role="status">
            Loading topics…
          </p>
        ) : topics === undefined ? (
          <div className="error-box" role="alert">
            Could not load the topics: {errorText(query.error)}{" "}
            <button type="button" onClick={() => void query.refetch()}>
              Retry
            </button>
          </div>
        ) : topics.length === 0 ? (
          <NoTopics />
        ) : (
          <>
            {query.isError && <p className="error-box">Refreshing failed ({errorText(query.error)}); showing the last answer.</p>}
            <TopicsTable topics={topics} />
          </>
        )}
      </div>
    </main>
  );
}
