"use client";
// Which dead letters are ticked, by record key ("topic/partition/offset"): what the replay
// actions (added to the selection bar later) act on. A new scope, such as other filters,
// starts empty, so no record hidden by the filters stays selected unseen.
import { useCallback, useMemo, useState } from "react";

export interface Selection {
  keys: ReadonlySet<string>;
  size: number;
  has(key: string): boolean;
  toggle(key: string): void;
  /** Ticks (on) or unticks every one of `keys`. */
  setMany(keys: readonly string[], on: boolean): void;
  clear(): void;
}

const EMPTY: ReadonlySet<string> = new Set();

export function useSelection(scope: string): Selection {
  const [state, setState] = useState<{ scope: string; keys: ReadonlySet<string> }>({ scope, keys: EMPTY });
  const keys = state.scope === scope ? state.keys : EMPTY;

  const update = useCallback(
    (change: (keys: Set<string>) => void) =>
      setState((prev) => {
        const next = new Set(prev.scope === scope ? prev.keys : EMPTY);
        change(next);
        return { scope, keys: next };
      }),
    [scope],
  );
  const toggle = useCallback((key: string) => update((s) => (s.has(key) ? s.delete(key) : s.add(key))), [update]);
  const setMany = useCallback((list: readonly string[], on: boolean) => update((s) => list.forEach((k) => (on ? s.add(k) : s.delete(k)))), [update]);
  const clear = useCallback(() => setState({ scope, keys: EMPTY }), [scope]);

  return useMemo(() => ({ keys, size: keys.size, has: (k: string) => keys.has(k), toggle, setMany, clear }), [keys, toggle, setMany, clear]);
}
