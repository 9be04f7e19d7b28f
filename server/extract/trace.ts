import { headerText, type HeaderIndex } from "./headers";

export interface TraceContext {
  traceId: string;
  /** The sending span (W3C parent-id); only traceparent carries one we use. */
  parentId: string | null;
}

// version-traceid-parentid-flags; versions above 00 may append fields after another "-".
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}(-.*)?$/i;
// TraceId-SpanId[-SamplingState[-ParentSpanId]]; a lone "0", "1" or "d" is only a sampling decision.
const B3_SINGLE = /^([0-9a-f]{32}|[0-9a-f]{16})-[0-9a-f]{16}(?:-[01d](?:-[0-9a-f]{16})?)?$/i;
const B3_TRACE_ID = /^(?:[0-9a-f]{32}|[0-9a-f]{16})$/i;
const ALL_ZERO = /^0+$/;

/** W3C Trace Context; null when malformed, version ff, or an all-zero trace or parent id. */
export function parseTraceparent(value: string): TraceContext | null {
  const m = TRACEPARENT.exec(value.trim());
  const version = m?.[1]?.toLowerCase();
  const traceId = m?.[2]?.toLowerCase();
  const parentId = m?.[3]?.toLowerCase();
  if (version === undefined || traceId === undefined || parentId === undefined) return null;
  if (version === "ff" || (version === "00" && m?.[4] !== undefined)) return null;
  if (ALL_ZERO.test(traceId) || ALL_ZERO.test(parentId)) return null;
  return { traceId, parentId };
}

/** Trace id of a B3 single header, or null. */
export function parseB3(value: string): string | null {
  const traceId = B3_SINGLE.exec(value.trim())?.[1]?.toLowerCase();
  return traceId === undefined || ALL_ZERO.test(traceId) ? null : traceId;
}

/** Trace id of an X-B3-TraceId header, or null. */
export function parseB3TraceId(value: string): string | null {
  const traceId = value.trim().toLowerCase();
  return B3_TRACE_ID.test(traceId) && !ALL_ZERO.test(traceId) ? traceId : null;
}

/** traceparent, then b3, then X-B3-TraceId; an invalid one falls through to the next. */
export function findTrace(headers: HeaderIndex): TraceContext | null {
  const traceparent = headerText(headers, "traceparent");
  const w3c = traceparent === null ? null : parseTraceparent(traceparent);
  if (w3c !== null) return w3c;
  const b3 = headerText(headers, "b3");
  const b3Trace = b3 === null ? null : parseB3(b3);
  if (b3Trace !== null) return { traceId: b3Trace, parentId: null };
  const x = headerText(headers, "x-b3-traceid");
  const xTrace = x === null ? null : parseB3TraceId(x);
  return xTrace === null ? null : { traceId: xTrace, parentId: null };
}
