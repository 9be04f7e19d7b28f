"use client";
// The topic page's filters. Each one lands in the URL as soon as it is committed (a pick, or
// Enter / leaving a text field), so the view can be pasted into the incident channel.
import { useId, type ReactNode } from "react";
import type { DeadLetterReason } from "@/server/dlq/list-dead-letter-topics";
import type { ReplayFilter } from "@/server/contract/dlq";
import { fromLocalInput, hasFilters, NO_FILTERS, REPLAY_LABEL, toLocalInput, type DlqFilters } from "./url-state";
import { reasonLabel } from "./dlq-format";
import { CommitInput } from "../commit-input";
import s from "./messages.module.css";

const HOUR = 3_600_000;

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <label className={s.field}>
      <span className="muted small">{label}</span>
      {children}
    </label>
  );
}

/** Exact-match text with suggestions from the topic's summary; empty means any. */
function TextFilter({ label, value, suggestions, onCommit }: { label: string; value: string | null; suggestions: readonly string[]; onCommit: (v: string | null) => void }) {
  const listId = useId();
  return (
    <Field label={label}>
      <CommitInput trim value={value ?? ""} onCommit={(v) => onCommit(v || null)} list={listId} placeholder="any" spellCheck={false} className="mono" />
      <datalist id={listId}>
        {suggestions.map((v) => (
          <option key={v} value={v} />
        ))}
      </datalist>
    </Field>
  );
}

interface Props {
  filters: DlqFilters;
  /** The topic's reasons, most frequent first (the summary's; empty while it loads). */
  reasons: readonly DeadLetterReason[];
  sourceTopics: readonly string[];
  onChange: (next: DlqFilters) => void;
}

export function FilterBar({ filters, reasons, sourceTopics, onChange }: Props) {
  const set = (change: Partial<DlqFilters>) => onChange({ ...filters, ...change });
  const withMessage = reasons.filter((r) => r.errorMessage !== null);
  const classes = [...new Set(reasons.flatMap((r) => (r.errorClass === null ? [] : [r.errorClass])))];
  // A reason from a pasted link may be beyond the picker's list: keep it selectable.
  const unlisted = filters.reason !== null && !withMessage.some((r) => r.errorMessage === filters.reason);
  return (
    <form className={s.filters} aria-label="Filter dead letters" onSubmit={(e) => e.preventDefault()}>
      <Field label="Error reason">
        <select data-testid="dlq-filter-reason" className={s.reasonSelect} value={filters.reason ?? ""} onChange={(e) => set({ reason: e.target.value || null })}>
          <option value="">Any reason</option>
          {unlisted && <option value={filters.reason ?? ""}>{filters.reason}</option>}
          {withMessage.map((r) => (
            <option key={`${r.errorClass}\u0000${r.errorMessage}`} value={r.errorMessage ?? ""} title={r.errorMessage ?? ""}>
              {reasonLabel(r)}
            </option>
          ))}
        </select>
      </Field>
      <TextFilter label="Error class" value={filters.errorClass} suggestions={classes} onCommit={(v) => set({ errorClass: v })} />
      <TextFilter label="Source topic" value={filters.sourceTopic} suggestions={sourceTopics} onCommit={(v) => set({ sourceTopic: v })} />
      <Field label="Replay state">
        <select value={filters.replay} onChange={(e) => set({ replay: e.target.value as ReplayFilter })}>
          {Object.entries(REPLAY_LABEL).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Failed from (local time)">
        <CommitInput trim type="datetime-local" eager value={toLocalInput(filters.from)} onCommit={(v) => set({ from: fromLocalInput(v) })} />
      </Field>
      <Field label="to">
        <CommitInput trim type="datetime-local" eager value={toLocalInput(filters.to)} onCommit={(v) => set({ to: fromLocalInput(v) })} />
      </Field>
      <div className={s.presets} role="group" aria-label="Quick time ranges">
        {([["1 h", HOUR], ["24 h", 24 * HOUR], ["7 d", 7 * 24 * HOUR]] as const).map(([label, ms]) => (
          <button key={label} type="button" title={`Failures of the last ${label}`} onClick={() => set({ from: new Date(Date.now() - ms).toISOString(), to: null })}>
            last {label}
          </button>
        ))}
      </div>
      {hasFilters(filters) && (
        <button type="button" className={s.clear} onClick={() => onChange(NO_FILTERS)}>
          Clear filters
        </button>
      )}
    </form>
  );
}
