"use client";
// The flow against its type, beside the timeline: how it differs from the most common path of its
// flow type over the last 24 h (missing, repeated, out-of-order and much slower steps), in words.
// The comparison runs on the server from the map's aggregates (GET /api/flows/{id}/against-type).
import Link from "next/link";
import { stepName } from "@/server/analysis/map-changes";
import { errorText } from "../api";
import { useAgainstType } from "../map/use-flowmap";
import s from "./against-type.module.css";

const TONE: Record<string, string> = { "dead-letter": "badge-dlq", stuck: "badge-stuck", slower: "badge-ooo", "out-of-order": "badge-ooo", repeated: "badge-dup" };

export function AgainstType({ correlationId, live }: { correlationId: string; live: boolean }) {
  const q = useAgainstType(correlationId, live);
  if (q.isPending) return null;
  if (!q.data) return <p className={s.box} role="status">Could not compare this flow with its type: {errorText(q.error)}</p>;
  const a = q.data;
  const differs = a.findings.length > 0;
  return (
    <details className={`${s.box} ${differs ? s.differs : ""}`} open={differs} data-testid="against-type">
      <summary>
        <strong>Against its type{a.flowType ? ` (${a.flowType})` : ""}:</strong> <span data-testid="against-type-summary">{a.summary}</span>
      </summary>
      {differs && (
        <ul className={s.findings}>
          {a.findings.map((f) => (
            <li key={`${f.kind} ${f.step ?? ""} ${f.text}`} data-testid="against-type-finding" data-kind={f.kind}>
              <span className={`badge ${TONE[f.kind] ?? "badge-plain"}`}>{f.kind}</span> {f.text}
            </li>
          ))}
        </ul>
      )}
      {a.commonPath && (
        <p className={s.path}>
          Common path: {a.commonPath.steps.map(stepName).join(" → ")}{" "}
          <Link href="/map?range=24h">on the map</Link>
        </p>
      )}
    </details>
  );
}
