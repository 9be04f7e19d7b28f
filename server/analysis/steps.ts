// A flow's step is (service, event type). Shared by the tap's aggregates, the map API and the
// browser, so it is pure and imports nothing.

/** Unit separator between the two halves; a U+001F inside a name is dropped from the key. */
const SEP = "\u001f";

export interface Step {
  service: string;
  eventType: string;
}

/** '' stands for unknown: key columns cannot be null. */
export function stepOf(service: string | null, eventType: string | null): Step {
  return { service: service ?? "", eventType: eventType ?? "" };
}

/** A step's id in the API and in flowmap_members.path: service, U+001F, event type (U+001F inside a name is dropped). */
export function stepKey(step: Step): string {
  return `${step.service.replaceAll(SEP, "")}${SEP}${step.eventType.replaceAll(SEP, "")}`;
}

export function parseStepKey(key: string): Step {
  const i = key.indexOf(SEP);
  return i < 0 ? { service: "", eventType: key } : { service: key.slice(0, i), eventType: key.slice(i + 1) };
}

/** What a person reads for a step: "payment-service · PaymentProcessed". */
export function stepLabel(step: Step): string {
  return `${step.service || "(no service)"} · ${step.eventType || "(no type)"}`;
}
