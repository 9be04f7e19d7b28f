"use client";
// The record's value as the index kept it: folding JSON, plain text, or hex and base64 for
// bytes that are not UTF-8. The display copy may be cut; the record itself is still in Kafka.
// Schema Registry records (Avro, Protobuf, JSON Schema) show their decoded value, a line naming
// format, schema, subject and version, why they could not be decoded when so, and the original
// bytes on demand.
import type { EventJson } from "@/server/flows/event-json";
import { CopyButton } from "../copy-button";
import { base64ToBytes, hexDump, isBase64Value } from "./bytes";
import { decodeErrorText, encodingLine } from "./encoding-text";
import { JsonTree } from "./json-tree";
import { RawBytes } from "./raw-bytes";
import s from "./payload.module.css";

function Body({ event }: { event: EventJson }) {
  const { value, valueKind } = event;
  if (valueKind === "null") {
    return <p className="muted">{event.tombstone ? "No value: this record is a tombstone (a delete marker for its key)." : "No value."}</p>;
  }
  if (valueKind === "binary" && isBase64Value(value)) {
    const bytes = base64ToBytes(value.base64);
    return (
      <>
        <div className={s.toolbar}>
          <span className="muted small">{bytes.length.toLocaleString()} bytes, not UTF-8</span>
          <CopyButton text={value.base64} what="payload as base64" label="Copy base64" />
        </div>
        {/* 8 bytes a line: a 16-byte hexdump does not fit the detail panel. */}
        <pre className={`${s.pre} ${s.hex}`}>{hexDump(bytes, 8)}</pre>
        <details className={s.b64}>
          <summary>base64</summary>
          <pre className={s.pre}>{value.base64}</pre>
        </details>
      </>
    );
  }
  if (valueKind === "json" && !event.truncated) {
    return (
      <>
        <div className={s.toolbar}>
          <CopyButton text={JSON.stringify(value, null, 2)} what="payload as JSON" label="Copy JSON" />
        </div>
        <JsonTree value={value} />
      </>
    );
  }
  const text = typeof value === "string" ? value : JSON.stringify(value, null, 2);
  return (
    <>
      <div className={s.toolbar}>
        <CopyButton text={text} what="payload text" label="Copy text" />
      </div>
      <pre className={s.pre}>{text}</pre>
    </>
  );
}

/** Which schema wrote the record, and whether the index holds it decoded. */
function Encoding({ event }: { event: EventJson }) {
  const { encoding, keyEncoding, decodeError } = event;
  if (encoding === null && keyEncoding === null && decodeError === null) return null;
  return (
    <div className={s.encoding} data-testid="payload-encoding">
      {encoding && (
        <p className="mono small" data-testid="encoding-line">
          {encodingLine(encoding)}
          {event.decodedOnRead && (
            <span className="badge badge-plain" title="Indexed as binary (its schema was not available then); decoded now, for this view">
              decoded on read
            </span>
          )}
        </p>
      )}
      {keyEncoding && <p className="mono small muted">key: {encodingLine(keyEncoding)}</p>}
      {decodeError !== null && (
        <p className={s.cut} role="note" data-testid="decode-error" title={decodeError}>
          {decodeErrorText(decodeError)}.{event.valueKind === "binary" && " The bytes below are the value as written."}
        </p>
      )}
    </div>
  );
}

export function PayloadView({ event }: { event: EventJson }) {
  const wire = event.encoding !== null || event.keyEncoding !== null || event.decodeError !== null;
  return (
    <section className={s.payload} data-testid="event-payload" aria-label="Payload">
      <h3>
        Payload <span className="muted small">({event.valueKind}, {event.size.toLocaleString()} bytes)</span>
      </h3>
      <Encoding event={event} />
      {event.truncated && (
        <p className={s.cut}>
          Display copy cut at FLOWTAP_VALUE_CAP_BYTES: the first part of {event.size.toLocaleString()} bytes is shown. The full record is still in Kafka at{" "}
          <span className="mono">
            {event.topic}/{event.partition}/{event.offset}
          </span>
          .
        </p>
      )}
      <Body event={event} />
      {wire && <RawBytes at={event} />}
    </section>
  );
}
