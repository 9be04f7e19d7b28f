"use client";
// What part of a scrolling element is on screen: the basis of every windowed list here.
import { useLayoutEffect, useRef, useState, type RefObject, type UIEvent } from "react";

export interface ScrollWindow {
  ref: RefObject<HTMLDivElement | null>;
  top: number;
  height: number;
  onScroll: (e: UIEvent<HTMLDivElement>) => void;
}

export function useScrollWindow(): ScrollWindow {
  const ref = useRef<HTMLDivElement>(null);
  const [top, setTop] = useState(0);
  const [height, setHeight] = useState(0);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setHeight(el.clientHeight);
    const ro = new ResizeObserver(() => setHeight(el.clientHeight));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return { ref, top, height, onScroll: (e) => setTop(e.currentTarget.scrollTop) };
}

/** Scrolls `el` so that [y, y + h) is visible, with some context above; no-op when it already is. */
export function revealRange(el: HTMLElement, y: number, h: number, headerHeight = 0): void {
  const visibleTop = el.scrollTop + headerHeight;
  const visibleBottom = el.scrollTop + el.clientHeight;
  if (y >= visibleTop && y + h <= visibleBottom) return;
  el.scrollTop = Math.max(0, y - headerHeight - el.clientHeight / 3);
}
