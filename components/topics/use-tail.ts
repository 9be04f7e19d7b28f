"use client";
// Live tail: while the page is open (and visible), ask every few seconds for records from the
// newest one shown on, and put the new ones on top. One request at a time; a hidden tab asks
// nothing.
import { useEffect, useRef, useState } from "react";
import type { EventJson } from "@/server/flows/event-json";
import { eventKey } from "@/server/analysis/flow-analysis";
import { errorText } from "../api";
import { EMPTY_TAIL, mergeTail, tailSince, type TailState } from "./tail";
import { fetchRecords } from "./topics-api";
import { apiParams, tailParams, type BrowseState } from "./url-state";

const TAIL_MS = 3_000;
/** A full answer means more are waiting: ask again soon (after the render that moves `since`). */
const TAIL_LIMIT = 200;
const CATCH_UP_MS = 200;

export interface Tail extends TailState {
  error: string | null;
}

/**
 * `loaded`: the rows of the loaded pages, newest first; `windowFrom`: the first page's window
 * start; `epoch`: when the list was loaded (a reload shows what the tail held: start over).
 */
export function useTail(topic: string, state: BrowseState, loaded: readonly EventJson[], windowFrom: string | null, epoch: number, on: boolean): Tail {
  const stateKey = `${epoch}:${topic}?${apiParams(state)}`;
  const [tail, setTail] = useState<TailState & { key: string }>({ ...EMPTY_TAIL, key: stateKey });
  const [error, setError] = useState<string | null>(null);
  // Another window or filter (or a Refresh that reloads the list) starts the tail over.
  const current = tail.key === stateKey ? tail : { ...EMPTY_TAIL, key: stateKey };
  // What the next request is built from, read when it is sent (not when the timer was set).
  const latest = useRef({ current, loaded, windowFrom, state });
  useEffect(() => {
    latest.current = { current, loaded, windowFrom, state };
  });
  const active = on && !current.overflow;

  useEffect(() => {
    if (!active) return;
    const ctl = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      let again = TAIL_MS;
      const { current: t, loaded: rows, windowFrom: from, state: s } = latest.current;
      const since = tailSince(t, rows[0], from, Date.now());
      if (since !== null && !document.hidden) {
        try {
          const page = await fetchRecords(topic, tailParams(s, since, TAIL_LIMIT), ctl.signal);
          const merged = page && mergeTail(t, new Set(rows.slice(0, TAIL_LIMIT).map(eventKey)), page.records);
          // Only this loop changes the tail, one request at a time: `t` is still the latest.
          if (page && merged && merged !== t) {
            setTail({ ...merged, key: stateKey });
            // A full answer that brought new rows: more are waiting. (One that brought none is
            // more records sharing one millisecond than a page: wait, rather than spin on them.)
            if (page.records.length === TAIL_LIMIT) again = CATCH_UP_MS;
          }
          setError(null);
        } catch (err) {
          if (ctl.signal.aborted) return;
          setError(errorText(err));
        }
      }
      if (!ctl.signal.aborted) timer = setTimeout(() => void tick(), again);
    };
    timer = setTimeout(() => void tick(), TAIL_MS);
    return () => {
      ctl.abort();
      clearTimeout(timer);
    };
  }, [active, topic, stateKey]);

  return { rows: current.rows, overflow: current.overflow, error };
}
