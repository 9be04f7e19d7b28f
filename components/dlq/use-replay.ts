"use client";
// One replay run at a time for a dead-letter topic: the records go to POST /api/replays in
// chunks, one request after the other, so progress can be shown and Cancel stops before the
// next chunk. Every replay (one record, a selection, all matching) is a dry run first, and the
// operator confirms the target topics it names, with their counts: a dead letter's headers
// choose its target, and any producer can plant them. When a run ends (done, cancelled or stopped by an error) the topic's dead-letter
// queries are refetched, so the replay states on the page are the ledger's.
import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useMemo, useRef, useState } from "react";
import { ApiError, errorText } from "../api";
import { collectMatching, postReplays } from "./dlq-api";
import { addResults, chunk, COLLECT_PAGE, confirmTargetsText, isTopicQuery, REPLAY_CHUNK, replayErrorText, startProgress, type Ending, type Progress, type RecordRef } from "./replay-plan";
import { filtersToParams, type DlqFilters } from "./url-state";

export type ReplayRun =
  | { phase: "idle" }
  | { phase: "collecting"; found: number }
  | { phase: "sending"; label: string; progress: Progress; cancelling: boolean }
  | { phase: "finished"; label: string; progress: Progress; ending: Ending }
  /** Nothing was sent: collecting failed, or nothing matched. */
  | { phase: "not-started"; message: string };

export interface ReplayController {
  run: ReplayRun;
  busy: boolean;
  /**
   * Replays `refs` in chunks; `label` says what they are ("3 selected", "record t/0/5"). Unless
   * it is itself a dry run, a dry run goes first and the operator confirms its targets;
   * `question` (a forced replay's) heads that confirmation.
   */
  replay(refs: readonly RecordRef[], opts: ReplayOpts): Promise<void>;
  /** Collects every record the filters match, confirms their targets from a dry run, then replays them. */
  replayAllMatching(filters: DlqFilters): Promise<void>;
  cancel(): void;
  dismiss(): void;
}

type ReplayOpts = { label: string; force?: boolean; dryRun?: boolean; question?: string };
/** `toConfirm`: the dry run before a replay; a confirmation follows it, so it shows no summary unless it stopped or found nothing to send. */
type SendOpts = ReplayOpts & { toConfirm?: boolean };

const IDLE: ReplayRun = { phase: "idle" };

function failureText(err: unknown): string {
  return err instanceof ApiError ? replayErrorText(err.status, err.message) : errorText(err);
}

export function useReplay(topic: string): ReplayController {
  const queryClient = useQueryClient();
  const [state, setState] = useState<{ topic: string; run: ReplayRun }>({ topic, run: IDLE });
  const run = state.topic === topic ? state.run : IDLE;
  const cancelled = useRef(false);
  const busyRef = useRef(false);
  const set = useCallback((r: ReplayRun) => setState({ topic, run: r }), [topic]);

  const send = useCallback(
    async (refs: readonly RecordRef[], opts: SendOpts): Promise<{ progress: Progress; ending: Ending }> => {
      let progress = startProgress(refs.length, opts.dryRun ?? false);
      let ending: Ending = { kind: "done" };
      set({ phase: "sending", label: opts.label, progress, cancelling: false });
      try {
        for (const part of chunk(refs, REPLAY_CHUNK)) {
          if (cancelled.current) {
            ending = { kind: "cancelled" };
            break;
          }
          try {
            progress = addResults(progress, await postReplays(part, { force: opts.force, dryRun: opts.dryRun }));
          } catch (err) {
            ending = { kind: "error", error: failureText(err) };
            break;
          }
          set({ phase: "sending", label: opts.label, progress, cancelling: cancelled.current });
        }
      } finally {
        if (!opts.toConfirm || ending.kind !== "done" || progress.wouldSend === 0) set({ phase: "finished", label: opts.label, progress, ending });
        if (!opts.dryRun && progress.sent > 0) void queryClient.invalidateQueries({ predicate: isTopicQuery(topic) });
      }
      return { progress, ending };
    },
    [queryClient, set, topic],
  );

  /** The dry run, the confirmation of its targets, then the replay. */
  const confirmed = useCallback(
    async (refs: readonly RecordRef[], opts: ReplayOpts) => {
      if (opts.dryRun) return void (await send(refs, opts));
      const dry = await send(refs, { ...opts, dryRun: true, toConfirm: true, label: `${opts.label}: where they would go` });
      if (dry.ending.kind !== "done" || dry.progress.wouldSend === 0) return;
      const question = confirmTargetsText(opts.label, dry.progress);
      if (!window.confirm(opts.question ? `${opts.question}\n\n${question}` : question)) {
        return set({ phase: "not-started", message: "Not confirmed. Nothing was replayed." });
      }
      await send(refs, opts);
    },
    [send, set],
  );

  const exclusive = useCallback(async (work: () => Promise<void>) => {
    if (busyRef.current) return;
    busyRef.current = true;
    cancelled.current = false;
    try {
      await work();
    } finally {
      busyRef.current = false;
    }
  }, []);

  const replay = useCallback<ReplayController["replay"]>((refs, opts) => exclusive(() => confirmed(refs, opts)), [exclusive, confirmed]);

  const replayAllMatching = useCallback(
    (filters: DlqFilters) =>
      exclusive(async () => {
        set({ phase: "collecting", found: 0 });
        let refs: RecordRef[] | null;
        try {
          refs = await collectMatching(topic, filters, { pageSize: COLLECT_PAGE, onPage: (found) => set({ phase: "collecting", found }), shouldStop: () => cancelled.current });
        } catch (err) {
          set({ phase: "not-started", message: `Could not list the matching dead letters: ${failureText(err)}. Nothing was replayed.` });
          return;
        }
        if (refs === null) return set({ phase: "not-started", message: "Cancelled while listing the matching dead letters. Nothing was replayed." });
        if (refs.length === 0) return set({ phase: "not-started", message: "No dead letter matches these filters. Nothing was replayed." });
        const filterText = [...filtersToParams(filters)].map(([k, v]) => `${k} "${v}"`).join(", ");
        await confirmed(refs, { label: `all ${refs.length.toLocaleString("en-US")} matching${filterText ? ` ${filterText}` : ""} in ${topic}` });
      }),
    [exclusive, confirmed, set, topic],
  );

  const cancel = useCallback(() => {
    cancelled.current = true;
    setState((prev) => (prev.run.phase === "sending" ? { ...prev, run: { ...prev.run, cancelling: true } } : prev));
  }, []);
  const dismiss = useCallback(() => {
    if (!busyRef.current) set(IDLE);
  }, [set]);

  const busy = run.phase === "collecting" || run.phase === "sending";
  return useMemo(() => ({ run, busy, replay, replayAllMatching, cancel, dismiss }), [run, busy, replay, replayAllMatching, cancel, dismiss]);
}
