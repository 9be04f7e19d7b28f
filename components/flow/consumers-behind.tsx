"use client";
// Says when a step may be missing only because a consumer group is behind, instead of leaving
// the engineer to guess: "notification-service is 4 min behind on orders.completed", and when
// it will get there: "it reaches this event in ~40 s at its current rate", or "it is not consuming".
import { useQuery } from "@tanstack/react-query";
import type { ConsumerBehind, UnreadEvent } from "@/server/lag/consumers-behind-flow";
import type { Eta } from "@/server/lag/eta";
import { getJson } from "../api";
import { formatDuration } from "../time-format";
import styles from "./consumers-behind.module.css";

const POLL_MS = 10_000;
/** Events listed per group and topic; the ETA line covers all of them. */
const SHOWN_EVENTS = 3;

const records = (n: number) => `${n.toLocaleString("en-US")} record${n === 1 ? "" : "s"}`;

export function describeBehind(b: ConsumerBehind): string {
  const how = b.timeLagSeconds !== null ? `${formatDuration(b.timeLagSeconds * 1000)} behind` : b.lag !== null ? `${b.lag.toLocaleString()} records behind` : "behind (no commit yet)";
  const what = b.eventTypes.length ? b.eventTypes.slice(0, 3).join(", ") : `${b.unread} event${b.unread === 1 ? "" : "s"}`;
  return `${b.group} is ${how} on ${b.topic}: it has not read this flow's ${what} yet (${b.status})`;
}

function rate(perSecond: number): string {
  if (perSecond >= 10) return `${Math.round(perSecond).toLocaleString("en-US")} records/s`;
  if (perSecond >= 0.1) return `${perSecond.toFixed(1)} records/s`;
  return `${(perSecond * 60).toFixed(1)} records/min`;
}

/** "billing reaches this event in ~40 s at its current rate (12 records/s)", or why there is no estimate. */
export function describeEta(group: string, eta: Eta | null, events: number): string {
  const target = events === 1 ? "this event" : `the last of these ${events} events`;
  if (!eta) return `${group}: no estimate`;
  if (eta.state === "not-consuming") return `${group} is not consuming: ${eta.reason}`;
  if (eta.state === "unknown") return `${group}: no estimate of when it reaches ${target} (${eta.reason})`;
  if (eta.etaSeconds === 0) return `${group} has read ${target}`;
  const when = eta.etaSeconds === null || eta.etaSeconds < 1 ? "in under a second" : `in ~${formatDuration(eta.etaSeconds * 1000)}`;
  const pace = eta.ratePerSecond === null ? "" : ` (${rate(eta.ratePerSecond)}${eta.basis === "topic" ? ", the topic's pace" : ""})`;
  return `${group} reaches ${target} ${when} at its current rate${pace}`;
}

/** "OrderPaid, partition 2 offset 1234: 1,204 records ahead of it; the group is 1,980 records and 4 min behind there". */
export function describeUnread(u: UnreadEvent): string {
  const before = u.eta.recordsBefore;
  const ahead = before === null ? "no commit on this partition yet" : before <= 1 ? "it is the next record the group reads" : `${records(before - 1)} ahead of it`;
  const lag = u.partitionLag === null ? null : records(u.partitionLag);
  const secs = u.partitionSecondsBehind === null ? null : formatDuration(u.partitionSecondsBehind * 1000);
  const there = [lag, secs].filter(Boolean).join(" and ");
  const measured = secs !== null && u.secondsBehindSource === "record" ? ", measured from the first unread record's time" : "";
  return `${u.eventType ?? "event"}, partition ${u.partition} offset ${u.offset}: ${ahead}${there ? `; the group is ${there} behind there${measured}` : ""}`;
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
          {/* Rows from before the ETA existed (an older server) have no `events`. */}
          {b.events?.length ? (
            <>
              <div className={b.eta?.state === "not-consuming" ? styles.stopped : styles.eta} data-testid="consumers-behind-eta">
                {describeEta(b.group, b.eta, b.unread)}
              </div>
              <ul className={styles.events}>
                {b.events.slice(0, SHOWN_EVENTS).map((u) => <li key={`${u.partition}:${u.offset}`}>{describeUnread(u)}</li>)}
                {b.events.length > SHOWN_EVENTS && <li className="muted">and {b.events.length - SHOWN_EVENTS} more</li>}
              </ul>
            </>
          ) : null}
        </li>
      ))}
      {behind.length > 5 && <li className="muted">and {behind.length - 5} more</li>}
    </ul>
  );
}
