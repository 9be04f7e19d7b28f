"use client";
// Where a dead letter's replays stand, in words and colour: never, pending, done (how often), failed.
import type { ReplayState } from "@/server/dlq/dead-letter-json";
import { formatLocal } from "../time-format";

function detail(r: ReplayState): string {
  const when = formatLocal(r.replayedAt);
  const target = r.targetTopic === null ? "" : ` to ${r.targetTopic}/${r.targetPartition ?? "?"}/${r.targetOffset ?? "?"}`;
  if (r.status === "failed") return `Last attempt failed at ${when}: ${r.error ?? "no reason recorded"}`;
  if (r.status === "pending") return `Requested at ${when}, not settled yet`;
  if (r.status === "unknown") return `Requested at ${when}; whether it was written cannot be told (${r.error ?? "no reason recorded"}); replay again only with force`;
  return `Replayed${target} at ${when}; ${r.count} successful replay(s) in all (replay ${r.replayId})`;
}

export function ReplayBadge({ replay }: { replay: ReplayState | null }) {
  if (replay === null) return <span className="muted small">not replayed</span>;
  const [cls, text] =
    replay.status === "failed"
      ? ["badge badge-dlq", "replay failed"]
      : replay.status === "pending"
        ? ["badge badge-stuck", "replay pending"]
        : replay.status === "unknown"
          ? ["badge badge-stuck", "replay unknown"]
          : replay.status === "replayed"
          ? ["badge badge-ok", replay.count > 1 ? `replayed ×${replay.count}` : "replayed"]
          : ["badge badge-plain", replay.status];
  return (
    <span className={cls} title={detail(replay)}>
      {text}
    </span>
  );
}
