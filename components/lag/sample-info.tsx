"use client";
// When the numbers were taken, and a warning when the sampler seems to have stopped: lag that
// looks flat may only mean nobody is measuring it.
import { Ago } from "../time";
import { useNow } from "../use-now";
import { sampleIsStale } from "./chart-data";
import type { LagAnswer } from "./lag-api";
import styles from "./lag.module.css";

export function SampleInfo({ answer }: { answer: LagAnswer }) {
  if (!answer.sampledAt) return <span className="muted small">no sample yet</span>;
  return (
    <span className="muted small">
      sampled <Ago iso={answer.sampledAt} /> · every {answer.intervalS} s
    </span>
  );
}

export function StaleSampleNote({ answer }: { answer: LagAnswer }) {
  const now = useNow();
  if (answer.sampledAt === null || !sampleIsStale(answer.sampledAt, answer.intervalS, now)) return null;
  return (
    <p className={styles.note} role="status">
      The lag sampler has not taken a sample for a while (it should every {answer.intervalS} s): these numbers are from{" "}
      <Ago iso={answer.sampledAt} />. Kafka may be unreachable, or the server that samples is down.
    </p>
  );
}
