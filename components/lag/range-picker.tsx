"use client";
import { LAG_RANGES, type LagRange } from "./chart-data";

export function RangePicker({ value, onPick }: { value: LagRange; onPick: (r: LagRange) => void }) {
  return (
    <div className="tabs" role="group" aria-label="Time range">
      {LAG_RANGES.map((r) => (
        <button key={r} type="button" aria-pressed={r === value} onClick={() => onPick(r)}>
          {r}
        </button>
      ))}
    </div>
  );
}
