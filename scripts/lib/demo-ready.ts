// Waiting for the demo to be worth opening: the web server answers, the tap has indexed
// flows, and each sample the demo prints is in the index with the event that makes it
// interesting (so the printed links never show a half-indexed flow).
import type { Outcome, SampleIds } from "./saga-simulator";

interface FlowEvent {
  topic: string;
  eventType: string | null;
  dlq: { sourceTopic: string | null; sourceOffset: string | null } | null;
}

let authorization: string | null = null;

/** The demo signs its own API calls as the demo operator (the server has users). */
export function useBasicAuth(name: string, password: string): void {
  authorization = `Basic ${Buffer.from(`${name}:${password}`).toString("base64")}`;
}

/** GET as JSON; null while the server does not answer. */
async function getJson(url: string): Promise<{ status: number; body: unknown } | null> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(5000), headers: authorization ? { authorization } : {} });
    return { status: res.status, body: await res.json() };
  } catch {
    return null;
  }
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `check` returns true; false when `timeoutMs` passes or `cancelled()` says so. */
async function until(check: () => Promise<boolean>, timeoutMs: number, cancelled: () => boolean): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!cancelled() && Date.now() < deadline) {
    if (await check()) return true;
    await pause(500);
  }
  return false;
}

export async function waitForHealth(base: string, timeoutMs: number, cancelled: () => boolean): Promise<boolean> {
  return until(async () => (await getJson(`${base}/api/health`))?.status === 200, timeoutMs, cancelled);
}

export async function waitForFirstFlow(base: string, timeoutMs: number, cancelled: () => boolean): Promise<boolean> {
  return until(async () => {
    const res = await getJson(`${base}/api/flows?limit=5`);
    const flows = (res?.body as { flows?: unknown[] } | undefined)?.flows;
    return res?.status === 200 && Array.isArray(flows) && flows.length > 0;
  }, timeoutMs, cancelled);
}

const has = (events: FlowEvent[], type: string) => events.some((e) => e.eventType === type);

/** What an indexed flow must show before the demo points at it, per outcome. */
const SHOWS: Record<Outcome, (events: FlowEvent[]) => boolean> = {
  completed: (ev) => has(ev, "OrderCompleted") && has(ev, "EmailSent"),
  compensated: (ev) => has(ev, "RefundPayment") && has(ev, "OrderCancelled"),
  "payment-failed": (ev) => has(ev, "PaymentFailed") && has(ev, "OrderCancelled"),
  "dlq-spring": (ev) => ev.some((e) => e.topic === "payments.completed.DLT" && e.dlq?.sourceOffset != null),
  "dlq-laravel": (ev) => ev.some((e) => e.topic === "payments.failed.dlq" && e.dlq !== null),
  "inventory-timeout": (ev) => has(ev, "PaymentProcessed") && !has(ev, "InventoryReserved"),
};

export const SAMPLE_LABELS: ReadonlyArray<readonly [Outcome, string]> = [
  ["completed", "completed"],
  ["compensated", "compensated (inventory failed → refund → cancelled)"],
  ["dlq-spring", "dead letter, Spring DLT (payments.completed.DLT)"],
  ["dlq-laravel", "dead letter, laravel-kafka (payments.failed.dlq)"],
  ["payment-failed", "payment failed → cancelled"],
];

async function indexedAs(base: string, outcome: Outcome, id: string): Promise<boolean> {
  const res = await getJson(`${base}/api/flows/${encodeURIComponent(id)}`);
  const events = (res?.body as { events?: FlowEvent[] } | undefined)?.events;
  return res?.status === 200 && Array.isArray(events) && SHOWS[outcome](events);
}

/**
 * One indexed correlation ID per outcome. Returns once every outcome has one, or once
 * `settleMs` passed with a completed, a compensated and a dead-lettered flow, or at `timeoutMs`.
 */
export async function pickSamples(
  base: string,
  sampleIds: () => SampleIds,
  opts: { settleMs: number; timeoutMs: number; cancelled: () => boolean },
): Promise<Partial<Record<Outcome, string>>> {
  const found: Partial<Record<Outcome, string>> = {};
  const start = Date.now();
  const enough = () =>
    SAMPLE_LABELS.every(([o]) => found[o]) ||
    (Date.now() - start > opts.settleMs && !!found.completed && !!found.compensated && !!(found["dlq-spring"] ?? found["dlq-laravel"]));
  await until(async () => {
    const ids = sampleIds();
    for (const [outcome] of SAMPLE_LABELS) {
      if (found[outcome]) continue;
      for (const id of [...ids[outcome]].reverse()) {
        if (await indexedAs(base, outcome, id)) {
          found[outcome] = id;
          break;
        }
      }
    }
    return enough();
  }, opts.timeoutMs, opts.cancelled);
  return found;
}
