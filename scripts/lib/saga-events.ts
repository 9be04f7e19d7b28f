// The order saga of the demo as data: which branch an order takes, its steps, and the record
// each service writes for a step. Every service follows a different wire convention on
// purpose, so the demo exercises the extractor the way a real estate of services would.
// Pure: the clock and randomness come in as arguments.
import {
  childSpan, int32BE, int64BE, newCorrelationId, newTrace, randomHex, randomUuid, traceparent,
  type Rand, type SpanContext,
} from "./saga-wire";

export const TOPICS = {
  orderCreated: "orders.created",
  payments: "payments.completed",
  inventory: "inventory.reserved",
  refunds: "payments.refunds",
  cancelled: "orders.cancelled",
  completed: "orders.completed",
  notifications: "notifications.sent",
  laravelDlq: "payments.failed.dlq",
  springDlt: "payments.completed.DLT",
} as const;

export const SAGA_TOPICS: readonly string[] = Object.values(TOPICS);

export type Outcome = "completed" | "compensated" | "payment-failed" | "dlq-laravel" | "dlq-spring" | "inventory-timeout";

// Cumulative bands over [0, 1). Paid orders (completed, compensated, dlq-spring) are ≈83%;
// inventory fails for ≈10% of the orders that reach it; each poison-message kind is 3%.
const OUTCOME_BANDS: ReadonlyArray<readonly [number, Outcome]> = [
  [0.03, "dlq-laravel"],
  [0.06, "dlq-spring"],
  [0.2, "payment-failed"],
  [0.28, "compensated"],
  [1, "completed"],
];

// The demo's fault (inventory-service degrades after a few minutes): it fails ≈20 % of the orders
// that reach it instead of ≈10 %, never answers for another ≈25 % (those flows stop after
// PaymentProcessed), and takes 2.5–6 s instead of 0.3–1 s to answer the rest.
const FAULT_BANDS: ReadonlyArray<readonly [number, Outcome]> = [
  [0.03, "dlq-laravel"],
  [0.06, "dlq-spring"],
  [0.2, "payment-failed"],
  [0.36, "compensated"],
  [0.57, "inventory-timeout"],
  [1, "completed"],
];

export function chooseOutcome(r: number, faulty = false): Outcome {
  return (faulty ? FAULT_BANDS : OUTCOME_BANDS).find(([upTo]) => r < upTo)?.[1] ?? "completed";
}

export interface Faults {
  /** The payment answer (or the order) is produced twice, same eventId: at-least-once delivery. */
  duplicate: boolean;
  /** OrderUpdated version 3 lands before version 2. */
  outOfOrder: boolean;
}

export function chooseFaults(rand: Rand): Faults {
  return { duplicate: rand() < 0.04, outOfOrder: rand() < 0.04 };
}

export type Step =
  | "OrderCreated" | "OrderUpdatedV3" | "OrderUpdatedV2"
  | "PaymentProcessed" | "PaymentProcessedUnreadable" | "PaymentFailed"
  | "InventoryReserved" | "InventoryReservationFailed" | "RefundPayment"
  | "OrderCompleted" | "OrderCancelled" | "EmailSent"
  /** The previous record once more, byte for byte. */
  | "Duplicate"
  /** The previous record, copied by a failing consumer to its dead-letter topic. */
  | "LaravelDeadLetter" | "SpringDeadLetter";

/** The saga's steps in order. A dead-lettered saga stops at the dead letter: it looks stuck. */
export function sagaSteps(outcome: Outcome, faults: Faults): Step[] {
  const order: Step[] = ["OrderCreated"];
  if (outcome === "dlq-laravel") order.push("LaravelDeadLetter");
  else if (outcome === "dlq-spring") order.push("PaymentProcessedUnreadable", "SpringDeadLetter");
  else if (outcome === "payment-failed") order.push("PaymentFailed", "OrderCancelled", "EmailSent");
  // Inventory never answers: the flow stops after the payment and goes stuck.
  else if (outcome === "inventory-timeout") order.push("PaymentProcessed");
  else if (outcome === "compensated") order.push("PaymentProcessed", "InventoryReservationFailed", "RefundPayment", "OrderCancelled", "EmailSent");
  else order.push("PaymentProcessed", "InventoryReserved", "OrderCompleted", "EmailSent");
  // The duplicate follows the payment answer when there is one, else the order itself.
  if (faults.duplicate) order.splice(order[1]?.startsWith("Payment") ? 2 : 1, 0, "Duplicate");
  if (faults.outOfOrder) order.splice(1, 0, "OrderUpdatedV3", "OrderUpdatedV2");
  return order;
}

// Wait before each step, [min, max] ms: a saga spreads over a few seconds of real time.
const DELAY_MS: Record<Step, readonly [number, number]> = {
  OrderCreated: [0, 0],
  OrderUpdatedV3: [100, 300],
  OrderUpdatedV2: [20, 80],
  PaymentProcessed: [300, 1200],
  PaymentProcessedUnreadable: [300, 1200],
  PaymentFailed: [300, 1200],
  InventoryReserved: [300, 1000],
  InventoryReservationFailed: [300, 1000],
  RefundPayment: [200, 800],
  OrderCompleted: [100, 500],
  OrderCancelled: [100, 500],
  EmailSent: [300, 1500],
  Duplicate: [20, 200],
  // Consumers retry a few times before they give up on a record.
  LaravelDeadLetter: [800, 2000],
  SpringDeadLetter: [800, 2000],
};

const FAULT_DELAY_MS: Partial<Record<Step, readonly [number, number]>> = {
  InventoryReserved: [2500, 6000],
  InventoryReservationFailed: [2500, 6000],
};

export function stepDelayMs(step: Step, rand: Rand, faulty = false): number {
  const [lo, hi] = (faulty ? FAULT_DELAY_MS[step] : undefined) ?? DELAY_MS[step];
  return Math.round(lo + rand() * (hi - lo));
}

/** A record ready for kafkajs. */
export interface SagaMessage {
  topic: string;
  key: string;
  headers: Record<string, string | Buffer>;
  value: string;
  /** Producer timestamp in ms since the epoch, as text (kafkajs's form). */
  timestamp: string;
}

interface Item {
  sku: string;
  qty: number;
  price: number;
}

/** One order's state while its saga runs. */
export interface Saga {
  correlationId: string;
  orderId: string;
  userId: string;
  total: number;
  items: Item[];
  /** The latest event's span; the next event's span is its child. */
  span: SpanContext;
  orderEventId: string | null;
  lastEventId: string | null;
}

export function newSaga(rand: Rand): Saga {
  const items = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => ({
    sku: `SKU-${randomHex(rand, 4).toUpperCase()}`,
    qty: 1 + Math.floor(rand() * 3),
    price: Math.round(500 + rand() * 9500) / 100,
  }));
  return {
    correlationId: newCorrelationId(rand),
    orderId: String(100000 + Math.floor(rand() * 900000)),
    userId: `user-${1 + Math.floor(rand() * 500)}`,
    total: Math.round(items.reduce((sum, i) => sum + i.qty * i.price, 0) * 100) / 100,
    items,
    span: newTrace(rand),
    orderEventId: null,
    lastEventId: null,
  };
}

/** Moves the saga on by one event: a child span and a fresh event id. */
function advance(saga: Saga, rand: Rand): { eventId: string; causationId: string | null; span: SpanContext } {
  const causationId = saga.lastEventId;
  saga.span = childSpan(saga.span, rand);
  saga.lastEventId = randomUuid(rand);
  return { eventId: saga.lastEventId, causationId, span: saga.span };
}

// order-service: X-Correlation-ID and x-service headers, snake_case payload.
function orderService(saga: Saga, topic: string, type: string, version: number, now: Date, rand: Rand, fields: object): SagaMessage {
  const { eventId, causationId, span } = advance(saga, rand);
  if (type === "OrderCreated") saga.orderEventId = eventId;
  return {
    topic, key: saga.orderId, timestamp: String(now.getTime()),
    headers: { "X-Correlation-ID": saga.correlationId, "x-service": "order-service", traceparent: traceparent(span) },
    value: JSON.stringify({
      event_type: type, event_version: version, event_id: eventId,
      ...(type === "OrderCreated" || type === "OrderUpdated" ? {} : { causation_id: causationId }),
      order_id: saga.orderId, ...fields,
    }),
  };
}

// payment-service: CloudEvents binary mode; payload repeats correlation and causation.
function paymentService(saga: Saga, topic: string, type: string, now: Date, rand: Rand, fields: object): SagaMessage {
  const { eventId, causationId, span } = advance(saga, rand);
  // Payment answers the order itself, whatever updates came in between.
  const cause = type === "RefundPayment" ? causationId : saga.orderEventId;
  return {
    topic, key: saga.orderId, timestamp: String(now.getTime()),
    headers: {
      ce_specversion: "1.0", ce_id: eventId, ce_source: "payment-service", ce_type: type,
      ce_time: now.toISOString(), "content-type": "application/json",
      "X-Correlation-ID": saga.correlationId, traceparent: traceparent(span),
    },
    value: JSON.stringify({ eventId, correlationId: saga.correlationId, causationId: cause, orderId: saga.orderId, ...fields }),
  };
}

// inventory-service: the correlation ID only in the payload.
function inventoryService(saga: Saga, type: string, now: Date, rand: Rand, fields: object): SagaMessage {
  const { eventId, causationId, span } = advance(saga, rand);
  return {
    topic: TOPICS.inventory, key: saga.orderId, timestamp: String(now.getTime()),
    headers: { "x-service": "inventory-service", traceparent: traceparent(span) },
    value: JSON.stringify({ event_type: type, event_id: eventId, correlation_id: saga.correlationId, causation_id: causationId, order_id: saga.orderId, ...fields }),
  };
}

// notification-service: no correlation header; it sits in metadata.correlationId.
function notificationService(saga: Saga, now: Date, rand: Rand): SagaMessage {
  const { eventId, causationId, span } = advance(saga, rand);
  return {
    topic: TOPICS.notifications, key: saga.userId, timestamp: String(now.getTime()),
    headers: { traceparent: traceparent(span) },
    value: JSON.stringify({
      type: "EmailSent", messageId: eventId, service: "notification-service",
      to: `${saga.userId}@example.com`, subject: `Your order ${saga.orderId}`,
      metadata: { correlationId: saga.correlationId, causationId },
    }),
  };
}

/** Steps that write a new event (the others re-send the previous record). */
export type EventStep = Exclude<Step, "Duplicate" | "LaravelDeadLetter" | "SpringDeadLetter">;

/** The record a service writes for `step`; advances the saga's span and event ids. */
export function sagaEvent(saga: Saga, step: EventStep, now: Date, rand: Rand): SagaMessage {
  const at = now.toISOString();
  const payment = { amount: saga.total, currency: "EUR", processedAt: at };
  switch (step) {
    case "OrderCreated":
      return orderService(saga, TOPICS.orderCreated, "OrderCreated", 1, now, rand, { user_id: saga.userId, total: saga.total, items: saga.items, created_at: at });
    case "OrderUpdatedV3":
      return orderService(saga, TOPICS.orderCreated, "OrderUpdated", 3, now, rand, { shipping_address: "Hauptstr. 12, Berlin", updated_at: at });
    case "OrderUpdatedV2":
      return orderService(saga, TOPICS.orderCreated, "OrderUpdated", 2, now, rand, { shipping_address: "Hauptstr. 1, Berlin", updated_at: new Date(now.getTime() - 1000).toISOString() });
    case "PaymentProcessed":
      return paymentService(saga, TOPICS.payments, "PaymentProcessed", now, rand, { ...payment, paymentId: `pay_${randomHex(rand, 12)}` });
    case "PaymentProcessedUnreadable":
      // A locale-formatted amount: the Spring consumer cannot read it and dead-letters the record.
      return paymentService(saga, TOPICS.payments, "PaymentProcessed", now, rand, { ...payment, amount: saga.total.toFixed(2).replace(".", ","), paymentId: `pay_${randomHex(rand, 12)}` });
    case "PaymentFailed":
      return paymentService(saga, TOPICS.payments, "PaymentFailed", now, rand, { ...payment, reason: "card_declined" });
    case "InventoryReserved":
      return inventoryService(saga, "InventoryReserved", now, rand, { items: saga.items.map(({ sku, qty }) => ({ sku, qty })), reserved_at: at });
    case "InventoryReservationFailed":
      return inventoryService(saga, "InventoryReservationFailed", now, rand, { reason: "out_of_stock", sku: saga.items[0]?.sku ?? null });
    case "RefundPayment":
      return paymentService(saga, TOPICS.refunds, "RefundPayment", now, rand, { ...payment, reason: "inventory_unavailable" });
    case "OrderCompleted":
      return orderService(saga, TOPICS.completed, "OrderCompleted", 1, now, rand, { completed_at: at });
    case "OrderCancelled":
      return orderService(saga, TOPICS.cancelled, "OrderCancelled", 1, now, rand, { reason: "saga_aborted", cancelled_at: at });
    case "EmailSent":
      return notificationService(saga, now, rand);
  }
}

/** laravel-kafka's dead letter: the original record plus throwable headers, no origin headers. */
export function laravelDeadLetter(original: SagaMessage, now: Date): SagaMessage {
  return {
    ...original,
    topic: TOPICS.laravelDlq,
    timestamp: String(now.getTime()),
    headers: {
      ...original.headers,
      kafka_throwable_message: "SQLSTATE[40001]: Serialization failure: 1213 Deadlock found when trying to get lock",
      kafka_throwable_class_name: "Illuminate\\Database\\QueryException",
      kafka_throwable_code: "40001",
    },
  };
}

/** Where a record landed, from the produce result. */
export interface ProducedAt {
  partition: number;
  offset: string;
}

/** Spring Kafka's DeadLetterPublishingRecoverer: original headers plus binary origin headers. */
export function springDeadLetter(original: SagaMessage, at: ProducedAt, now: Date): SagaMessage {
  const cause = "com.fasterxml.jackson.databind.exc.InvalidFormatException";
  const message = `Cannot deserialize value of type \`java.math.BigDecimal\` from String: not a valid representation`;
  return {
    ...original,
    topic: TOPICS.springDlt,
    timestamp: String(now.getTime()),
    headers: {
      ...original.headers,
      "kafka_dlt-original-topic": Buffer.from(original.topic, "utf8"),
      "kafka_dlt-original-partition": int32BE(at.partition),
      "kafka_dlt-original-offset": int64BE(at.offset),
      "kafka_dlt-original-timestamp": int64BE(original.timestamp),
      "kafka_dlt-original-consumer-group": Buffer.from("inventory-service", "utf8"),
      "kafka_dlt-exception-fqcn": Buffer.from("org.springframework.kafka.listener.ListenerExecutionFailedException", "utf8"),
      "kafka_dlt-exception-cause-fqcn": Buffer.from(cause, "utf8"),
      "kafka_dlt-exception-message": Buffer.from(`Listener method 'onPaymentProcessed' threw exception; ${message}`, "utf8"),
      "kafka_dlt-exception-stacktrace": Buffer.from(
        `${cause}: ${message}\n\tat com.fasterxml.jackson.databind.DeserializationContext.weirdStringException(DeserializationContext.java:1991)\n\tat com.shop.inventory.PaymentListener.onPaymentProcessed(PaymentListener.java:42)\n`,
        "utf8",
      ),
    },
  };
}
