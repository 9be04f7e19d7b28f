"use client";
// The record's value (and key) exactly as Kafka holds it, as hex and base64: what a wire-format
// record really is under its decoded view. Read from Kafka only when opened (GET /api/records/…
// joins a throwaway consumer group: seconds), and not read again while the answer is cached.
import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import type { RawRecordJson } from "@/server/kafka/read-raw-record";
import { errorText, getJson } from "../api";
import { CopyButton } from "../copy-button";
import { base64ToBytes, hexDump } from "./bytes";
import s from "./payload.module.css";

interface At {
  topic: string;
  partition: number;
  offset: string;
}

const rawUrl = (at: At) => `/api/records/${encodeURIComponent(at.topic)}/${at.partition}/${at.offset}`;

function Bytes({ label, b64 }: { label: string; b64: string }) {
  const bytes = base64ToBytes(b64);
  return (
    <>
      <div className={s.toolbar}>
        <span className="muted small">
          {label}: {bytes.length.toLocaleString()} bytes
        </span>
        <CopyButton text={b64} what={`${label} as base64`} label="Copy base64" />
      </div>
      {/* 8 bytes a line: a 16-byte hexdump does not fit the detail panel. */}
      <pre className={`${s.pre} ${s.hex}`} data-testid="raw-hex">
        {hexDump(bytes, 8)}
      </pre>
      <details className={s.b64}>
        <summary>base64</summary>
        <pre className={s.pre} data-testid="raw-base64">
          {b64}
        </pre>
      </details>
    </>
  );
}

function RawBody({ at }: { at: At }) {
  const query = useQuery({
    queryKey: ["raw-record", at.topic, at.partition, at.offset],
    queryFn: ({ signal }) => getJson<RawRecordJson>(rawUrl(at), signal),
    // A record's bytes never change.
    staleTime: Infinity,
    retry: false,
  });
  if (query.isPending) return <p className="muted small">Reading the record from Kafka…</p>;
  if (query.isError) {
    return (
      <p className="error-box small">
        Could not read it from Kafka: {errorText(query.error)}{" "}
        <button type="button" onClick={() => void query.refetch()}>
          Retry
        </button>
      </p>
    );
  }
  const r = query.data;
  return (
    <>
      {r.value === null ? <p className="muted small">No value (a tombstone).</p> : <Bytes label="value" b64={r.value.base64} />}
      {r.key !== null && <Bytes label="key" b64={r.key.base64} />}
    </>
  );
}

/** A toggle: closed, it costs nothing. */
export function RawBytes({ at }: { at: At }) {
  const [open, setOpen] = useState(false);
  return (
    <details className={s.b64} data-testid="raw-view" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>raw (the original bytes from Kafka, hex and base64)</summary>
      {open && <RawBody at={at} />}
    </details>
  );
}
