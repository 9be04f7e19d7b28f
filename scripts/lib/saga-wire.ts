// Wire-level helpers of the demo traffic: identifiers, W3C trace context and the binary
// integers Spring Kafka writes into its dead-letter headers. Pure: randomness comes in as
// `rand` so the unit tests are deterministic.

/** A source of numbers in [0, 1), like Math.random. */
export type Rand = () => number;

/** `digits` lowercase hex digits, one draw per digit. */
export function randomHex(rand: Rand, digits: number): string {
  let out = "";
  // min() guards a rand that returns exactly 1, which would yield "10".
  for (let i = 0; i < digits; i++) out += Math.min(15, Math.floor(rand() * 16)).toString(16);
  return out;
}

/** The order saga's correlation ID as the order-service writes it: `ord-<8 hex>`. */
export function newCorrelationId(rand: Rand): string {
  return `ord-${randomHex(rand, 8)}`;
}

/** A version-4 UUID layout (version nibble 4, variant 10xx) drawn from rand. */
export function randomUuid(rand: Rand): string {
  const h = randomHex(rand, 32);
  const variant = ((parseInt(h[16] ?? "0", 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export interface SpanContext {
  traceId: string;
  spanId: string;
}

// W3C trace context rejects all-zero trace and span ids; a test rand can produce them.
function nonZero(hex: string): string {
  return /^0+$/.test(hex) ? `${hex.slice(0, -1)}1` : hex;
}

/** A new trace (one per saga) with its root span: the request that placed the order. */
export function newTrace(rand: Rand): SpanContext {
  return { traceId: nonZero(randomHex(rand, 32)), spanId: nonZero(randomHex(rand, 16)) };
}

/** A new span in the same trace whose parent is `parent` (each event gets its own). */
export function childSpan(parent: SpanContext, rand: Rand): SpanContext {
  let spanId = nonZero(randomHex(rand, 16));
  if (spanId === parent.spanId) spanId = spanId === "0000000000000001" ? "0000000000000002" : "0000000000000001";
  return { traceId: parent.traceId, spanId };
}

/**
 * The `traceparent` header a producer writes: it carries the producing span's own id, as
 * OpenTelemetry's Kafka instrumentation does; the span's parent is known to the tracer only.
 */
export function traceparent(span: SpanContext): string {
  return `00-${span.traceId}-${span.spanId}-01`;
}

/** 4-byte big-endian int, Spring's encoding of `kafka_dlt-original-partition`. */
export function int32BE(n: number): Buffer {
  if (!Number.isInteger(n) || n < -0x80000000 || n > 0x7fffffff) throw new RangeError(`not a 32-bit int: ${n}`);
  const buf = Buffer.alloc(4);
  buf.writeInt32BE(n);
  return buf;
}

/** 8-byte big-endian long, Spring's encoding of offsets and timestamps. Offsets arrive as strings. */
export function int64BE(n: bigint | number | string): Buffer {
  const v = BigInt(n);
  if (v < -(2n ** 63n) || v >= 2n ** 63n) throw new RangeError(`not a 64-bit long: ${n}`);
  const buf = Buffer.alloc(8);
  buf.writeBigInt64BE(v);
  return buf;
}
