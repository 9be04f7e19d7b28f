"use client";
// Degraded records (stored with what was changed) and quarantined ones (refused by the store;
// only where they are in Kafka). Each links to its flow or to the raw record in Kafka.
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import type { SetAside } from "@/server/tap/list-set-aside";
import { errorText, flowUrl, getJson } from "../api";
import { Ago } from "../time";

const rawUrl = (r: { topic: string; partition: number; offset: string }) =>
  `/api/records/${encodeURIComponent(r.topic)}/${r.partition}/${r.offset}`;

export function SetAsideView() {
  const q = useQuery({
    queryKey: ["set-aside"],
    queryFn: ({ signal }) => getJson<SetAside>("/api/quarantine?limit=200", signal),
    refetchOnWindowFocus: false,
  });
  if (q.isPending) return <p className="muted">Loading…</p>;
  if (q.isError) return <p role="alert">Could not load the list: {errorText(q.error)}</p>;
  const { quarantined, degraded } = q.data;
  return (
    <>
      <h2>Quarantined ({quarantined.length})</h2>
      {quarantined.length === 0 ? (
        <p className="muted">None: every record read is in the index.</p>
      ) : (
        <table className="audit" data-testid="quarantined-table">
          <thead>
            <tr><th>When</th><th>Record</th><th>Size</th><th>Why</th><th /></tr>
          </thead>
          <tbody>
            {quarantined.map((r) => (
              <tr key={`${r.topic}/${r.partition}/${r.offset}`}>
                <td><Ago iso={r.quarantinedAt} /></td>
                <td className="mono">{r.topic}/{r.partition}/{r.offset}</td>
                <td>{r.size.toLocaleString()} B</td>
                <td>{r.reason}</td>
                <td><a href={rawUrl(r)} target="_blank" rel="noreferrer">raw record</a></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Degraded ({degraded.length})</h2>
      {degraded.length === 0 ? (
        <p className="muted">None: every record is stored as read.</p>
      ) : (
        <table className="audit" data-testid="degraded-table">
          <thead>
            <tr><th>Indexed</th><th>Record</th><th>What was changed</th><th /></tr>
          </thead>
          <tbody>
            {degraded.map((r) => (
              <tr key={`${r.topic}/${r.partition}/${r.offset}`}>
                <td><Ago iso={r.indexedAt} /></td>
                <td className="mono">{r.topic}/{r.partition}/{r.offset}</td>
                <td>{r.anomalies.join("; ")}</td>
                <td>
                  {r.correlationId ? <Link href={flowUrl(r.correlationId)}>flow</Link> : null}{" "}
                  <a href={rawUrl(r)} target="_blank" rel="noreferrer">raw record</a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
