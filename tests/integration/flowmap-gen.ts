// Generated traffic for the flow map's equality tests: flows of three types over several topics,
// services and partitions, with dead letters, duplicate deliveries, causation links, versions out
// of order, late events (produced after later ones), records without a correlation ID and one flow
// that crosses the event cap. Seeded, so a failure can be replayed.
import type { RawRecord } from "../../server/extract";

/** mulberry32: small, seeded, good enough for test data. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface GenMessage {
  /** Topic suffix: orders, payments, inventory, refunds, signups, or payments.DLT. */
  topic: string;
  partition: number;
  ts: number;
  value: Record<string, unknown>;
}

export interface GenOptions {
  flows: number;
  /** Events of the one flow that crosses the cap (set the cap below it). */
  bigFlow: number;
  start: number;
}

const STEPS = {
  order: [["orders", "order-service", "OrderCreated"], ["payments", "payment-service", "PaymentProcessed"], ["inventory", "inventory-service", "InventoryReserved"], ["orders", "shipping-service", "OrderShipped"], ["orders", "order-service", "OrderCompleted"]],
  refund: [["refunds", "refund-service", "RefundRequested"], ["refunds", "refund-service", "RefundApproved"], ["payments", "payment-service", "RefundPaid"], ["refunds", "refund-service", "RefundCompleted"]],
  signup: [["signups", "user-service", "UserRegistered"], ["signups", "mail-service", "EmailSent"], ["signups", "user-service", "UserActivated"]],
} as const;

/** Messages in production order (late events already out of place). */
export function generate(seed: number, opts: GenOptions): GenMessage[] {
  const rnd = prng(seed);
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const flows: GenMessage[][] = [];
  for (let f = 0; f < opts.flows; f++) {
    const kind = pick(["order", "order", "refund", "signup"] as const);
    const cid = `${kind}-${seed}-${f}`;
    const part = f % 3;
    let ts = opts.start + Math.floor(rnd() * 3 * 3_600_000);
    const out: GenMessage[] = [];
    const steps = STEPS[kind];
    // Where the flow stops: at the end, or stuck after some step, or failing into the DLT.
    const stopAt = rnd() < 0.7 ? steps.length : 1 + Math.floor(rnd() * (steps.length - 1));
    let prevId: string | null = null;
    for (let i = 0; i < stopAt; i++) {
      const [topic, service, type] = steps[i]!;
      const repeats = type === "InventoryReserved" ? 1 + Math.floor(rnd() * 3) : 1;
      for (let r = 0; r < repeats; r++) {
        const eventId = `${cid}-e${i}-${r}`;
        // Causation: mostly the previous event, sometimes the flow's first (fan-out), sometimes none.
        const cause = rnd() < 0.6 ? prevId : rnd() < 0.5 ? `${cid}-e0-0` : null;
        const version = type === "OrderShipped" && rnd() < 0.3 ? pick(["1", "2", "10"]) : undefined;
        ts += rnd() < 0.1 ? 0 : Math.floor(rnd() * (rnd() < 0.1 ? 200_000 : 4000));
        const value = { correlationId: cid, eventId, eventType: type, service, causationId: cause ?? undefined, version };
        out.push({ topic, partition: part, ts, value });
        if (rnd() < 0.08) out.push({ topic, partition: part, ts: ts + 5, value }); // a duplicate delivery
        prevId = eventId;
      }
    }
    if (stopAt < steps.length && rnd() < 0.5) {
      const [, service, type] = steps[stopAt]!;
      out.push({ topic: "payments.DLT", partition: 0, ts: ts + 30_000, value: { correlationId: cid, eventId: `${cid}-dlq`, eventType: type, service } });
    }
    flows.push(out);
  }
  const big: GenMessage[] = Array.from({ length: opts.bigFlow }, (_, i) => ({
    topic: "orders", partition: 1, ts: opts.start + i * 1000, value: { correlationId: `big-${seed}`, eventId: `big-${i}`, eventType: `Step${i % 4}`, service: "loop" },
  }));
  flows.push(big);
  // Interleave the flows; within a flow, now and then an event is produced after a later one.
  const queues = flows.map((q) => [...q]);
  const order: GenMessage[] = [];
  while (queues.some((q) => q.length)) {
    const q = pick(queues.filter((x) => x.length));
    const i = q.length > 1 && rnd() < 0.15 ? 1 : 0;
    order.push(q.splice(i, 1)[0]!);
    if (rnd() < 0.03) order.push({ topic: pick(["orders", "signups"]), partition: 0, ts: opts.start, value: { note: "no correlation" } });
  }
  return order;
}

/** The messages as Kafka records, offsets numbered per topic partition in production order. */
export function asRecords(messages: readonly GenMessage[], prefix: string): RawRecord[] {
  const next = new Map<string, number>();
  return messages.map((m) => {
    const topic = `${prefix}.${m.topic}`;
    const k = `${topic}/${m.partition}`;
    const offset = next.get(k) ?? 0;
    next.set(k, offset + 1);
    return { topic, partition: m.partition, offset: String(offset), timestamp: String(m.ts), key: null, headers: {}, value: Buffer.from(JSON.stringify(m.value)) };
  });
}
