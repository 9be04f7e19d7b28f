"use client";
// The audit log: every replay and every refused attempt, newest first.
import { useInfiniteQuery } from "@tanstack/react-query";
import type { AuditEntry } from "@/server/replay/list-audit";
import { errorText, getJson } from "../api";
import { Ago } from "../time";

interface AuditPage {
  entries: AuditEntry[];
  nextCursor: number | null;
}

function summary(e: AuditEntry): string {
  const d = e.detail as { requested?: number; replayed?: number; alreadyReplayed?: number; failed?: number; reason?: string } | null;
  if (!d) return "";
  if (d.reason) return d.reason;
  return `${d.requested ?? 0} requested: ${d.replayed ?? 0} replayed, ${d.alreadyReplayed ?? 0} already replayed, ${d.failed ?? 0} failed`;
}

export function AuditView() {
  const q = useInfiniteQuery({
    queryKey: ["audit"],
    queryFn: ({ pageParam, signal }) => getJson<AuditPage>(`/api/audit?limit=100${pageParam ? `&before=${pageParam}` : ""}`, signal),
    initialPageParam: 0,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchOnWindowFocus: false,
  });
  if (q.isPending) return <p className="muted">Loading the audit log…</p>;
  if (q.isError) return <p role="alert">Could not load the audit log: {errorText(q.error)}</p>;
  const entries = q.data.pages.flatMap((p) => p.entries);
  if (entries.length === 0) return <p className="muted">Nothing audited yet: no replay has been asked for.</p>;
  return (
    <>
      <table className="audit" data-testid="audit-table">
        <thead>
          <tr>
            <th>When</th>
            <th>Who</th>
            <th>Action</th>
            <th>Outcome</th>
            <th>What</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.id} data-testid="audit-row">
              <td>
                <Ago iso={e.at} /> <span className="mono muted">{e.at}</span>
              </td>
              <td className="mono">{e.actor}</td>
              <td>{e.action}</td>
              <td>{e.outcome}</td>
              <td>
                <details>
                  <summary>{summary(e)}</summary>
                  <pre className="mono">{JSON.stringify(e.detail, null, 2)}</pre>
                </details>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {q.hasNextPage && (
        <button type="button" onClick={() => void q.fetchNextPage()} disabled={q.isFetchingNextPage}>
          Older entries
        </button>
      )}
    </>
  );
}
