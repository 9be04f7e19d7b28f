"use client";
// Pretty JSON that folds. Every string is rendered as React text, so a payload full of
// markup stays markup-shaped text. Big containers show their first entries until asked.
import { useState } from "react";
import s from "./payload.module.css";

const OPEN_DEPTH = 2;
const FIRST_ENTRIES = 200;

function Scalar({ value }: { value: unknown }) {
  if (value === null) return <span className={s.null}>null</span>;
  if (typeof value === "string") return <span className={s.string}>{JSON.stringify(value)}</span>;
  if (typeof value === "number") return <span className={s.number}>{String(value)}</span>;
  if (typeof value === "boolean") return <span className={s.bool}>{String(value)}</span>;
  return <span>{String(value)}</span>;
}

function Node({ name, value, depth, last }: { name: string | null; value: unknown; depth: number; last: boolean }) {
  const [open, setOpen] = useState(depth < OPEN_DEPTH);
  const [all, setAll] = useState(false);
  const comma = last ? "" : ",";
  const label = name === null ? null : <span className={s.key}>{JSON.stringify(name)}: </span>;
  if (value === null || typeof value !== "object") {
    return (
      <div className={s.line}>
        {label}
        <Scalar value={value} />
        {comma}
      </div>
    );
  }
  const isArray = Array.isArray(value);
  const entries: Array<[string | null, unknown]> = isArray ? value.map((v) => [null, v]) : Object.entries(value);
  const [o, c] = isArray ? ["[", "]"] : ["{", "}"];
  if (entries.length === 0) {
    return (
      <div className={s.line}>
        {label}
        {o}
        {c}
        {comma}
      </div>
    );
  }
  const shown = all ? entries : entries.slice(0, FIRST_ENTRIES);
  return (
    <div>
      <button type="button" className={s.fold} aria-expanded={open} onClick={() => setOpen(!open)}>
        <span className={s.caret} aria-hidden="true">{open ? "▾" : "▸"}</span>
        {label}
        {o}
        {!open && (
          <span className={s.summary}>
            {" "}
            {entries.length} {isArray ? "items" : "keys"} {c}
            {comma}
          </span>
        )}
      </button>
      {open && (
        <>
          <div className={s.children}>
            {shown.map(([k, v], i) => (
              <Node key={k ?? i} name={k} value={v} depth={depth + 1} last={i === entries.length - 1} />
            ))}
            {shown.length < entries.length && (
              <button type="button" className={s.more} onClick={() => setAll(true)}>
                show {entries.length - shown.length} more
              </button>
            )}
          </div>
          <div className={s.line}>
            {c}
            {comma}
          </div>
        </>
      )}
    </div>
  );
}

export function JsonTree({ value }: { value: unknown }) {
  return (
    <div className={s.tree}>
      <Node name={null} value={value} depth={0} last />
    </div>
  );
}
