"use client";
// The replay buttons of the dead-letter pages, and the run they start: the selection bar's
// (selected, dry run, everything matching the filters), the detail panel's (this record,
// again by force), and one panel showing the run's progress and then its summary. Only a
// signed-in operator sees the buttons; the server refuses everyone else anyway.
import type { DeadLetterMessage } from "@/server/dlq/dead-letter-json";
import { useSession } from "../auth/user-menu";
import { confirmForceText, dryRunLines, n, progressText, refKey, refsFromKeys, summaryText } from "./replay-plan";
import type { ReplayController } from "./use-replay";
import type { Selection } from "./use-selection";
import type { DlqFilters } from "./url-state";
import s from "./messages.module.css";

/** A signed-in operator: the only one who may replay. */
export function useCanReplay(): boolean {
  return useSession().data?.user?.role === "operator";
}

export function SelectionReplayActions({ replay, selection, filters }: { replay: ReplayController; selection: Selection; filters: DlqFilters }) {
  const refs = () => refsFromKeys(selection.keys);
  const count = selection.size;
  return (
    <span className={s.replayButtons} role="group" aria-label="Replay">
      <button type="button" data-testid="replay-selected" disabled={replay.busy || count === 0} onClick={() => void replay.replay(refs(), { label: `${n(count)} selected` })}>
        Replay {n(count)} selected
      </button>
      <button
        type="button"
        data-testid="replay-dry-run"
        disabled={replay.busy || count === 0}
        title="Check where the selected records would go, sending nothing"
        onClick={() => void replay.replay(refs(), { label: `${n(count)} selected`, dryRun: true })}
      >
        Dry run
      </button>
      <button type="button" data-testid="replay-all-matching" disabled={replay.busy} onClick={() => void replay.replayAllMatching(filters)}>
        Replay all matching this filter
      </button>
    </span>
  );
}

export function RecordReplayActions({ message: m, replay }: { message: DeadLetterMessage; replay: ReplayController }) {
  const ref = { topic: m.topic, partition: m.partition, offset: m.offset };
  const key = refKey(ref);
  // "unknown": an earlier attempt could not be confirmed, so only force replays it again.
  const replayed = m.replay?.status === "replayed" || m.replay?.status === "unknown";
  return (
    <span className={s.recordReplay}>
      <button type="button" data-testid="replay-one" disabled={replay.busy} onClick={() => void replay.replay([ref], { label: `record ${key}` })}>
        Replay this record
      </button>
      {replayed && (
        <button
          type="button"
          data-testid="replay-force"
          disabled={replay.busy}
          onClick={() => void replay.replay([ref], { label: `record ${key} (forced)`, force: true, question: confirmForceText(key, m.replay?.count ?? 1) })}
        >
          Replay again (force)
        </button>
      )}
    </span>
  );
}

/** The current run: collecting, progress with Cancel, or the summary. Nothing when idle. */
export function ReplayPanel({ replay }: { replay: ReplayController }) {
  const run = replay.run;
  if (run.phase === "idle") return null;
  if (run.phase === "collecting") {
    return (
      <div className={s.replayPanel} role="status" data-testid="replay-progress">
        <div className={s.replayLine}>
          <span>Listing the dead letters matching the filters: {n(run.found)} so far…</span>
          <button type="button" data-testid="replay-cancel" onClick={replay.cancel}>
            Cancel
          </button>
        </div>
      </div>
    );
  }
  if (run.phase === "not-started") {
    return (
      <div className={s.replayPanel} role="status" data-testid="replay-summary">
        <div className={s.replayLine}>
          <span>{run.message}</span>
          <button type="button" onClick={replay.dismiss}>
            Dismiss
          </button>
        </div>
      </div>
    );
  }
  const p = run.progress;
  if (run.phase === "sending") {
    return (
      <div className={s.replayPanel} role="status" aria-live="polite">
        <div className={s.replayLine}>
          <strong>{p.dryRun ? "Dry run" : "Replaying"} {run.label}</strong>
          <progress max={Math.max(p.total, 1)} value={p.sent} aria-label="Replay progress" />
          <span data-testid="replay-progress">{progressText(p)}</span>
          <button type="button" data-testid="replay-cancel" onClick={replay.cancel} disabled={run.cancelling}>
            {run.cancelling ? "Stopping after this chunk…" : "Cancel"}
          </button>
        </div>
      </div>
    );
  }
  const failed = run.ending.kind !== "done" || p.failed > 0;
  return (
    <div className={`${s.replayPanel} ${failed ? "error-box" : ""}`} role="status" data-testid="replay-summary" data-ending={run.ending.kind}>
      <div className={s.replayLine}>
        <strong>{p.dryRun ? "Dry run" : "Replay"}: {run.label}</strong>
        <span>{summaryText(p, run.ending)}</span>
        <button type="button" onClick={replay.dismiss}>
          Dismiss
        </button>
      </div>
      {p.dryRun && p.targets.length > 0 && (
        <ul className={s.replayFailures} aria-label="Where the records would go">
          {dryRunLines(p).map((line) => (
            <li key={line} className="mono">
              {line}
            </li>
          ))}
        </ul>
      )}
      {p.failures.length > 0 && (
        <ul className={s.replayFailures} aria-label="Records that failed" data-testid="replay-failures">
          {p.failures.map((f) => (
            <li key={f.key}>
              <span className="mono">{f.key}</span>: {f.error}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
