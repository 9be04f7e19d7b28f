"use client";
// A failure reason as one readable line: the exception's short name, then its message. The
// full class name is on hover. Everything renders as text: messages are attacker-controlled.
import Link from "next/link";
import type { DeadLetterReason } from "@/server/dlq/list-dead-letter-topics";
import { shortClass } from "./dlq-format";
import { reasonUrl } from "./url-state";
import s from "./dlq.module.css";

export function ReasonText({ errorClass, errorMessage }: Pick<DeadLetterReason, "errorClass" | "errorMessage">) {
  if (errorClass === null && errorMessage === null) return <span className="muted">no error recorded</span>;
  return (
    <span className={s.reason} title={[errorClass, errorMessage].filter(Boolean).join("\n")}>
      {errorClass !== null && <span className={`mono ${s.errorClass}`}>{shortClass(errorClass)}</span>}
      {errorClass !== null && errorMessage !== null && " "}
      {errorMessage !== null && <span>{errorMessage}</span>}
    </span>
  );
}

export function ReasonLinks({ topic, reasons }: { topic: string; reasons: readonly DeadLetterReason[] }) {
  return (
    <ul className={s.reasons}>
      {reasons.map((r) => (
        <li key={`${r.errorClass}\u0000${r.errorMessage}`}>
          <span className={`mono ${s.count}`}>{r.count.toLocaleString()}×</span>
          <Link href={reasonUrl(topic, r)} className={s.reasonLink}>
            <ReasonText {...r} />
          </Link>
        </li>
      ))}
    </ul>
  );
}
