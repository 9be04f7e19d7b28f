"use client";
// Says when a step may be missing only because a consumer group is behind, instead of leaving
// the engineer to guess: "notification-service is 4 min behind on orders.completed".
import { useQuery } from "@tanstack/react-query";
import type { ConsumerBehind } from "@/server/lag/consumers-behind-flow";
import { getJson } from "../api";
import { formatDuration } from "../time-format";

const POLL_MS = 10_000;

export function describeBehind(b: ConsumerBehind): string {
  const how = b.timeLagSeconds !== null ? `${formatDuration(b.timeLagSeconds * 1000)} behind` : b.lag !== null ? `${b.lag.toLocaleString()} records behind` : "behind (no commit yet)";
  const what = b.eventTypes.length ? b.eventTypes.slice(0, 3).join(", ") : `${b.unread} event${b.unread === 1 ? "" : "s"}`;
  return `${b.group} is ${how} on ${b.topic}: it has not read this flow's ${what} yet (${b.status})`;
}

export function ConsumersBehind({ correlationId }: { correlationId: string }) {
  const { data } = useQuery({
    queryKey: ["flow-behind", correlationId],
    queryFn: ({ signal }) => getJson<{ behind: ConsumerBehind[] }>(`/api/flows/${encodeURIComponent(correlationId)}/behind`, signal),
    refetchInterval: POLL_MS,
    refetchOnWindowFocus: false,
  });
  const behind = data?.behind ?? [];
  if (behind.length === 0) return null;
  return (
    <ul className="consumers-behind" role="status" data-testid="consumers-behind">
      {behind.slice(0, 5).map((b) => (
        <li key={`${b.group}\u0000${b.topic}`}>
          <a href={`/lag/${encodeURIComponent(b.group)}`}>{describeBehind(b)}</a>
        </li>
      ))}
      {behind.length > 5 && <li className="muted">and {behind.length - 5} more</li>}
    </ul>
  );
}
