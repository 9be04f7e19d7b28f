"use client";
// What is ticked, and the place for what to do with it. The replay buttons (issue 4, item 3)
// go in `actions` (replay-actions.tsx, shown to operators only); they act on selection.keys.
import { useEffect, useRef, type ReactNode } from "react";
import type { Selection } from "./use-selection";
import s from "./messages.module.css";

interface Props {
  selection: Selection;
  /** Record keys of the loaded rows, for "select all". */
  loaded: readonly string[];
  actions?: ReactNode;
}

export function SelectionBar({ selection, loaded, actions }: Props) {
  const all = loaded.length > 0 && loaded.every((k) => selection.has(k));
  const some = !all && loaded.some((k) => selection.has(k));
  const box = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (box.current) box.current.indeterminate = some;
  }, [some]);
  return (
    <div className={s.actions} data-testid="dlq-actions" role="toolbar" aria-label="Selected dead letters">
      <label className={s.selectAll}>
        <input ref={box} type="checkbox" checked={all} disabled={loaded.length === 0} onChange={() => selection.setMany(loaded, !all)} />
        <span>select all {loaded.length.toLocaleString()} loaded</span>
      </label>
      <span className={selection.size ? s.selectedCount : "muted"}>{selection.size.toLocaleString()} selected</span>
      {selection.size > 0 && (
        <button type="button" onClick={selection.clear}>
          Clear selection
        </button>
      )}
      {/* Replay actions (operators only). */}
      {actions}
    </div>
  );
}
