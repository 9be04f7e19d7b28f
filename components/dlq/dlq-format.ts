// Dead-letter facts as short text, for places with room for one line (the reason picker, rows).
import type { DeadLetterJson } from "@/server/flows/event-json";
import type { DeadLetterReason } from "@/server/dlq/list-dead-letter-topics";

const LABEL_CHARS = 90;

/** "com.shop.InsufficientStockException" → "InsufficientStockException"; Java's "Outer$Inner" stays whole. */
export function shortClass(errorClass: string): string {
  return errorClass.slice(errorClass.lastIndexOf(".") + 1) || errorClass;
}

/** "3× InsufficientStockException: Insufficient stock for SKU A-1", cut to fit a <select>. */
export function reasonLabel(r: DeadLetterReason): string {
  const text = `${r.count.toLocaleString()}× ${r.errorClass ? `${shortClass(r.errorClass)}: ` : ""}${r.errorMessage ?? ""}`;
  return text.length > LABEL_CHARS ? `${text.slice(0, LABEL_CHARS)}…` : text;
}

/**
 * Where the failed record was: "payments/2/48" when the headers said so, the bare topic when
 * only the name tells (laravel-kafka), null when nothing does.
 */
export function originText(dlq: Pick<DeadLetterJson, "sourceTopic" | "sourcePartition" | "sourceOffset"> | null): string | null {
  if (!dlq?.sourceTopic) return null;
  if (dlq.sourcePartition === null) return dlq.sourceTopic;
  return `${dlq.sourceTopic}/${dlq.sourcePartition}/${dlq.sourceOffset ?? "?"}`;
}
