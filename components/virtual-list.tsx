"use client";
// A windowed list of fixed-height rows: only the rows on screen (plus a margin) are in the
// DOM, so 10,000 rows scroll as smoothly as 10.
import { useEffect, type ReactNode } from "react";
import { revealRange, useScrollWindow } from "./use-scroll-window";

const OVERSCAN_ROWS = 10;

interface Props<T> {
  items: readonly T[];
  rowHeight: number;
  /** Sticky content above the rows (a table header); its height is part of the scroll area. */
  header?: ReactNode;
  headerHeight?: number;
  renderRow: (item: T, index: number) => ReactNode;
  /** Brought into view when it changes (the selection). */
  revealIndex?: number | null;
  className?: string;
  label: string;
}

export function VirtualList<T>({ items, rowHeight, header, headerHeight = 0, renderRow, revealIndex = null, className, label }: Props<T>) {
  const win = useScrollWindow();
  const first = Math.max(0, Math.floor((win.top - headerHeight) / rowHeight) - OVERSCAN_ROWS);
  const last = Math.min(items.length, Math.ceil((win.top + win.height) / rowHeight) + OVERSCAN_ROWS);

  useEffect(() => {
    if (revealIndex === null || !win.ref.current) return;
    revealRange(win.ref.current, headerHeight + revealIndex * rowHeight, rowHeight, headerHeight);
  }, [revealIndex, rowHeight, headerHeight, win.ref]);

  const rows: ReactNode[] = [];
  for (let i = first; i < last; i++) {
    rows.push(
      <div key={i} className="vrow" style={{ top: i * rowHeight, height: rowHeight }}>
        {renderRow(items[i]!, i)}
      </div>,
    );
  }
  return (
    <div ref={win.ref} className={`vlist ${className ?? ""}`} onScroll={win.onScroll} role="region" aria-label={label} tabIndex={0}>
      {header}
      <div className="vbody" style={{ height: items.length * rowHeight }}>
        {rows}
      </div>
    </div>
  );
}
