// The flow map tests' incident: OrderCreated flows every 10 s for 8 h; from 28 min before `now`
// (14:02 at the default now) inventory-service stops answering for 40 % of them (they stop after
// PaymentProcessed and go stuck) and takes 3.5–4.3 s instead of 0.5–0.66 s for the rest.
// RefundRequested flows, once a minute, do not change. A few hand-made flows show a repeat, a
// wrong order and a skipped step. `longSagas` adds types of 12 steps for the browser's timing.
import type { Step } from "../../server/analysis/steps";
import type { SimFlow } from "./flowmap-api-seed";

export const NOW = Date.UTC(2026, 3, 25, 14, 30, 20);
export const FAULT_BEFORE_NOW = 28 * 60_000 + 20_000;
export const STUCK_AFTER_MS = 300_000;

export const S = {
  created: { service: "order-service", eventType: "OrderCreated" },
  paid: { service: "payment-service", eventType: "PaymentProcessed" },
  reserved: { service: "inventory-service", eventType: "InventoryReserved" },
  completed: { service: "order-service", eventType: "OrderCompleted" },
  refund: { service: "billing", eventType: "RefundRequested" },
  refunded: { service: "billing", eventType: "RefundIssued" },
} satisfies Record<string, Step>;

function order(i: number, start: number, faultAt: number, prefix: string): SimFlow {
  const faulty = start >= faultAt;
  const paidAt = start + 300 + (i % 3) * 100;
  const events = [{ step: S.created, ts: start }, { step: S.paid, ts: paidAt }];
  const id = `${prefix}ord-${String(i).padStart(5, "0")}`;
  if (i % 25 === 3) return { id, type: "OrderCreated", events, status: "dlq" };
  if (faulty ? i % 5 === 0 || i % 5 === 2 : i % 60 === 7) return { id, type: "OrderCreated", events, status: "open" };
  const reservedAt = paidAt + (faulty ? 3500 + (i % 5) * 200 : 500 + (i % 5) * 40);
  events.push({ step: S.reserved, ts: reservedAt }, { step: S.completed, ts: reservedAt + 200 });
  return { id, type: "OrderCreated", events, status: "completed" };
}

export function scenario(now = NOW, prefix = ""): SimFlow[] {
  const flows: SimFlow[] = [];
  const from = now - 8 * 3_600_000;
  for (let i = 0, t = from; t < now - 5000; i++, t += 10_000) flows.push(order(i, t, now - FAULT_BEFORE_NOW, prefix));
  for (let i = 0, t = from + 7000; t < now - 5000; i++, t += 60_000) {
    flows.push({ id: `${prefix}ref-${i}`, type: "RefundRequested", status: "completed", events: [{ step: S.refund, ts: t }, { step: S.refunded, ts: t + 100 + (i % 4) * 10 }] });
  }
  const at = now - 40 * 60_000 + 3000;
  flows.push(
    { id: `${prefix}special-repeat`, type: "OrderCreated", status: "completed", events: [
      { step: S.created, ts: at }, { step: S.paid, ts: at + 400 }, { step: S.reserved, ts: at + 1000 }, { step: S.paid, ts: at + 1500 }, { step: S.completed, ts: at + 1700 }] },
    { id: `${prefix}special-order`, type: "OrderCreated", status: "completed", events: [
      { step: S.created, ts: at + 1 }, { step: S.reserved, ts: at + 500 }, { step: S.paid, ts: at + 900 }, { step: S.completed, ts: at + 1100 }] },
    { id: `${prefix}special-skip`, type: "OrderCreated", status: "completed", events: [
      { step: S.created, ts: at + 2 }, { step: S.paid, ts: at + 400 }, { step: S.completed, ts: at + 60_000 }] },
  );
  return flows;
}

/** Flows of `type` through 12 steps over the last 2 h, every `everyMs`; one in 40 stops half-way. */
export function longSagas(now: number, type: string, everyMs: number, prefix: string): SimFlow[] {
  const steps: Step[] = Array.from({ length: 12 }, (_, i) => ({ service: `${type.toLowerCase()}-svc-${i % 4}`, eventType: `${type}Step${i + 1}` }));
  const flows: SimFlow[] = [];
  for (let i = 0, t = now - 2 * 3_600_000; t < now - 60_000; i++, t += everyMs) {
    const stopAt = i % 40 === 5 ? 6 : 12;
    const events = steps.slice(0, stopAt).map((step, j) => ({ step, ts: t + j * (200 + (i % 7) * 30) }));
    flows.push({ id: `${prefix}${type}-${i}`, type, events, status: stopAt < 12 ? "open" : "completed" });
  }
  return flows;
}
