"use client";
import Link from "next/link";
import type { DeadLetterTopic } from "@/server/dlq/list-dead-letter-topics";
import { CopyButton } from "../copy-button";
import { AgoAndAt } from "../time";
import s from "./messages.module.css";

interface Props {
  topic: string;
  summary: DeadLetterTopic | null | undefined;
  refreshing: boolean;
  onRefresh: () => void;
}

export function TopicHeader({ topic, summary, refreshing, onRefresh }: Props) {
  return (
    <div className={s.header}>
      <div className={s.titleRow}>
        <Link href="/dlq" className="small">
          ← all dead-letter topics
        </Link>
        <h1 className={s.title}>
          <span className="muted small">dead letters of</span> <span className="mono">{topic}</span>
        </h1>
        <CopyButton text={topic} what="topic name" />
        <span className={s.spacer} />
        <button type="button" onClick={onRefresh} disabled={refreshing} title="Load the newest dead letters (the list does not refresh by itself, so rows do not move while you select)">
          {refreshing ? "Refreshing…" : "Refresh"}
        </button>
      </div>
      {summary && (
        <div className={s.statsRow}>
          <span>
            <strong>{summary.messages.toLocaleString()}</strong> dead letters
          </span>
          <span>
            from <strong className="mono">{summary.sourceTopic ?? "an unknown source"}</strong>
          </span>
          <span>
            newest <AgoAndAt iso={summary.newest} />
          </span>
          <span>
            oldest <AgoAndAt iso={summary.oldest} />
          </span>
          <span>
            <strong>{summary.replayed.toLocaleString()}</strong> replayed
          </span>
        </div>
      )}
    </div>
  );
}
