// GET /api/flows/{id}/against-type: how one flow differs from its type's most common path.
// Pure (types only): the flow page's panel reads it.
import type { MapWindow } from "./flowmap";

export type FindingKind = "dead-letter" | "stuck" | "not-reached" | "missing" | "extra" | "repeated" | "out-of-order" | "slower";

export interface AgainstTypeFinding {
  kind: FindingKind;
  /** The step (or the transition's later step) the finding is about, as a step key. */
  step?: string;
  text: string;
}

export interface AgainstTypeAnswer {
  correlationId: string;
  /** null: the flow map has no row for this flow (indexed before the map existed, or not yet). */
  flowType: string | null;
  status: "open" | "completed" | "dlq" | null;
  stuck: boolean;
  /** The aggregates the comparison read: 24 h up to the flow's last event (or now). */
  window: MapWindow | null;
  commonPath: { steps: string[]; flows: number; share: number } | null;
  findings: AgainstTypeFinding[];
  /** One sentence: "Follows the common path …" or "Differs from … in 2 ways". */
  summary: string;
}
