"use client";
// The topic page's controls: the window (presets, custom, or a partition read from an offset),
// the order, and the filters. Each lands in the URL when committed (a click, Enter, leaving a
// field), so the view can be pasted into the incident channel.
import type { ReactNode } from "react";
import type { TopicPartitionSummary } from "@/server/contract/topics";
import { fromLocalInput, toLocalInput } from "../dlq/url-state";
import type { ParamChanges } from "../use-url-params";
import { CommitInput } from "../commit-input";
import { clearedFilters, customChanges, hasFilters, isOffsetMode, offsetChanges, presetChanges, presetOf, RANGE_PRESETS, type BrowseState } from "./url-state";
import s from "./topics.module.css";

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <label className={s.field}>
      <span className="muted small">{label}</span>
      {children}
    </label>
  );
}

/** Free text; empty means any. Matched exactly (contains: as a substring), so not trimmed. */
function TextField({ label, name, value, placeholder, onChange, title }: { label: string; name: string; value: string | null; placeholder: string; onChange: ParamSetter; title: string }) {
  return (
    <Field label={label}>
      <CommitInput value={value ?? ""} onCommit={(v) => onChange({ [name]: v || null })} placeholder={placeholder} spellCheck={false} className="mono" title={title} data-testid={`filter-${name}`} />
    </Field>
  );
}

type ParamSetter = (changes: ParamChanges) => void;

interface Props {
  state: BrowseState;
  partitions: readonly TopicPartitionSummary[];
  onChange: ParamSetter;
}

function WindowControls({ state, partitions, onChange }: Props) {
  const preset = presetOf(state);
  const offsetMode = isOffsetMode(state);
  const part = partitions.find((p) => String(p.partition) === state.partition);
  return (
    <div className={s.group} role="group" aria-label="Which records">
      <div className={s.presets} role="group" aria-label="Time range">
        {RANGE_PRESETS.map(([value, label]) => (
          <button key={value} type="button" aria-pressed={preset === value} onClick={() => onChange(presetChanges(value))} title={`Records of the last ${label}`}>
            {label}
          </button>
        ))}
      </div>
      <Field label="From (local time)">
        <CommitInput type="datetime-local" eager value={preset === null && !offsetMode ? toLocalInput(state.from) : ""} onCommit={(v) => onChange(customChanges(fromLocalInput(v), state.to))} />
      </Field>
      <Field label="to">
        <CommitInput type="datetime-local" eager value={offsetMode ? "" : toLocalInput(state.to)} onCommit={(v) => onChange(customChanges(state.from, fromLocalInput(v)))} />
      </Field>
      <Field label="Partition">
        <select value={state.partition ?? ""} onChange={(e) => onChange({ partition: e.target.value || null, offset: null })} data-testid="partition-select">
          <option value="">all</option>
          {partitions.map((p) => (
            <option key={p.partition} value={String(p.partition)}>
              {p.partition} ({p.records.toLocaleString()})
            </option>
          ))}
        </select>
      </Field>
      <Field label="From offset">
        <CommitInput
          value={state.offset ?? ""}
          onCommit={(v) => onChange(v.trim() ? offsetChanges(state.partition ?? "", v.trim()) : { offset: null })}
          disabled={state.partition === null}
          placeholder={part ? `${part.oldestOffset ?? "?"}…${part.newestOffset ?? "?"}` : "pick a partition"}
          title={state.partition === null ? "Offsets are per partition: pick one first" : "Read the partition from this offset instead of a time window"}
          className={`mono ${s.offset}`}
          inputMode="numeric"
          data-testid="offset-input"
        />
      </Field>
      <Field label="Order">
        <select value={state.order ?? "newest"} onChange={(e) => onChange({ order: e.target.value === "newest" ? null : e.target.value })} data-testid="order-select">
          <option value="newest">newest first</option>
          <option value="oldest">oldest first</option>
        </select>
      </Field>
    </div>
  );
}

export function BrowseControls(props: Props) {
  const { state, onChange } = props;
  return (
    <form className={s.controls} onSubmit={(e) => e.preventDefault()} aria-label="Browse">
      <WindowControls {...props} />
      <div className={s.group} role="group" aria-label="Filters">
        <TextField label="Key" name="key" value={state.key} placeholder="any" onChange={onChange} title="The record key, exactly (a binary key as base64:…)" />
        <TextField label="Event type" name="eventType" value={state.eventType} placeholder="any" onChange={onChange} title="The event type, exactly" />
        <TextField label="Header" name="header" value={state.header} placeholder="name=value" onChange={onChange} title="A header that has exactly this value: name=value" />
        <TextField label="Value contains" name="contains" value={state.contains} placeholder="text" onChange={onChange} title="Text in the record's value (case-sensitive), within the chosen range" />
        {hasFilters(state) && (
          <button type="button" className={s.clear} onClick={() => onChange(clearedFilters)}>
            Clear filters
          </button>
        )}
      </div>
    </form>
  );
}
