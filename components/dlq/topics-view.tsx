"use client";
// /dlq: every dead-letter topic the index holds, what feeds it, how much, since when, why.
import Link from "next/link";
import type { DeadLetterTopic } from "@/server/dlq/list-dead-letter-topics";
import { errorText } from "../api";
import { Ago } from "../time";
import { formatLocal } from "../time-format";
import { useHealth } from "../use-health";
import { dlqTopicUrl } from "./url-state";
import { ReasonLinks } from "./reason";
import { useDeadLetterTopics } from "./use-dead-letters";
import s from "./dlq.module.css";

function NoDeadLetters() {
  const tap = useHealth().data?.tap;
  return (
    <div className="state" data-testid="dlq-empty">
      <p>No dead letters in the index: no record on a dead-letter topic, and none carrying dead-letter headers.</p>
      <p className="hint">
        A topic counts as a dead-letter topic when its name matches <code>FLOWTAP_DLQ_PATTERN</code> (by default <code>.DLT</code>,{" "}
        <code>-dlt</code>, <code>.dlq</code>, <code>-dlq</code>, <code>_dlq</code>, <code>-retry-N</code>, <code>dead-letter</code>,{" "}
        <code>error.&lt;destination&gt;.&lt;group&gt;</code>) or its records carry the origin headers of Spring Kafka, Kafka Connect,
        Kafka Streams, Karafka or laravel-kafka. The tap must read the topic (<code>FLOWTAP_TOPICS_INCLUDE</code> /{" "}
        <code>FLOWTAP_TOPICS_EXCLUDE</code>), and records older than <code>FLOWTAP_RETENTION_DAYS</code> are gone from the index.
      </p>
      {tap && !tap.running && (
        <p>
          <strong>No tap is running, so nothing new is being indexed.</strong>
        </p>
      )}
    </div>
  );
}

/** Relative over absolute: the table needs the room for the reasons. */
function When({ iso }: { iso: string }) {
  return (
    <>
      <Ago iso={iso} />
      <div className={`mono muted small ${s.nowrap}`}>{formatLocal(iso)}</div>
    </>
  );
}

function TopicsTable({ topics }: { topics: readonly DeadLetterTopic[] }) {
  return (
    <table className={s.topics}>
      <thead>
        <tr>
          <th scope="col">Dead-letter topic</th>
          <th scope="col">Source topic</th>
          <th scope="col" className={s.num}>Messages</th>
          <th scope="col">Newest failure</th>
          <th scope="col">Oldest failure</th>
          <th scope="col">Top reasons</th>
          <th scope="col" className={s.num}>Replayed</th>
        </tr>
      </thead>
      <tbody>
        {topics.map((t) => (
          <tr key={t.topic} data-testid="dlq-topic-row">
            <th scope="row">
              <Link href={dlqTopicUrl(t.topic)} className="mono">
                {t.topic}
              </Link>
            </th>
            <td className="mono">{t.sourceTopic ?? <span className="muted">unknown</span>}</td>
            <td className={`${s.num} mono`}>{t.messages.toLocaleString()}</td>
            <td>
              <When iso={t.newest} />
              <div className="muted small" title="When Flowtap indexed the newest one (record timestamps are set by producers)">
                indexed <Ago iso={t.lastIndexedAt} />
              </div>
            </td>
            <td>
              <When iso={t.oldest} />
            </td>
            <td className={s.reasonsCell}>
              <ReasonLinks topic={t.topic} reasons={t.reasons} />
            </td>
            <td className={`${s.num} mono`} title="Records replayed successfully at least once">
              {t.replayed.toLocaleString()}
              <span className="muted"> / {t.messages.toLocaleString()}</span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function DeadLetterTopicsView() {
  const query = useDeadLetterTopics();
  const topics = query.data;
  const total = topics?.reduce((n, t) => n + t.messages, 0) ?? 0;
  return (
    <main className="page">
      <div className={s.wide}>
        <div className={s.titleRow}>
          <h1 className={s.title}>Dead letters</h1>
          {topics && topics.length > 0 && (
            <span className="muted">
              {total.toLocaleString()} records on {topics.length} topic{topics.length === 1 ? "" : "s"}, newest failure first
            </span>
          )}
          {query.isFetching && <span className="muted small">updating…</span>}
        </div>
        {query.isPending ? (
          <p className="muted" role="status">
            Loading dead-letter topics…
          </p>
        ) : topics === undefined ? (
          <div className="error-box" role="alert">
            Could not load the dead-letter topics: {errorText(query.error)}{" "}
            <button type="button" onClick={() => void query.refetch()}>
              Retry
            </button>
          </div>
        ) : topics.length === 0 ? (
          <NoDeadLetters />
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
