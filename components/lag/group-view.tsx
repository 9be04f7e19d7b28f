"use client";
// /lag/[group]: one consumer group, live. Range (?range=) and chart split (?detail=partition)
// live in the URL, so the link pasted into the incident channel opens this same view.
import dynamic from "next/dynamic";
import Link from "next/link";
import { ApiError, errorText } from "../api";
import { CopyButton } from "../copy-button";
import { AgoAndAt } from "../time";
import { useUrlParams } from "../use-url-params";
import { LagValue, Members, StaleBadge, StatusBadge } from "./cells";
import { ChartsLoading } from "./chart-box";
import { chartDomain, chartMarkers, DEFAULT_RANGE, formatDuration, formatLag, parseDetail, parseRange, type DetailMode, type LagRange } from "./chart-data";
import type { GroupLag, LagAnswer } from "./lag-api";
import styles from "./lag.module.css";
import { PartitionTable } from "./partition-table";
import { RangePicker } from "./range-picker";
import { SampleInfo, StaleSampleNote } from "./sample-info";
import { LAG_POLL_MS, useLag } from "./use-lag";

// recharts is most of this page's JavaScript: only this page loads it, and only in the browser.
const LagCharts = dynamic(() => import("./lag-charts").then((m) => m.LagCharts), { ssr: false, loading: () => <ChartsLoading /> });

function DetailToggle({ value, onPick }: { value: DetailMode; onPick: (d: DetailMode) => void }) {
  const options: Array<[DetailMode, string]> = [["topic", "Per topic"], ["partition", "Per partition"]];
  return (
    <div className="tabs" role="group" aria-label="Chart lines">
      {options.map(([v, text]) => (
        <button key={v} type="button" aria-pressed={v === value} onClick={() => onPick(v)}>
          {text}
        </button>
      ))}
    </div>
  );
}

function Markers({ g, answer, range }: { g: GroupLag; answer: LagAnswer; range: LagRange }) {
  if (!answer.sampledAt) return null;
  const [from, to] = chartDomain(answer.sampledAt, range);
  const markers = chartMarkers(g.markers, from, to).reverse();
  if (markers.length === 0) return null;
  return (
    <section className={styles.section} aria-labelledby="markers-heading">
      <h2 id="markers-heading">Rebalances and status changes, last {range}</h2>
      <ul className={styles.markers}>
        {markers.map((m, i) => (
          <li key={`${i}-${m.t}`}>
            <AgoAndAt iso={new Date(m.t).toISOString()} /> <span className={styles.markerKind}>{m.kind}</span> {m.detail}
          </li>
        ))}
      </ul>
    </section>
  );
}

function Unknown({ group, reason }: { group: string; reason: string }) {
  return (
    <main className="page">
      <div className="state" data-testid="lag-group-unknown">
        <h1>
          No consumer group <span className="mono">{group}</span>
        </h1>
        <p>
          {reason} This page checks again every {LAG_POLL_MS / 1000} s.
        </p>
        <p className="hint">
          Group names are case-sensitive. A group the cluster forgot (no members, offsets expired) is gone from here too. <Link href="/lag">All groups</Link>
        </p>
      </div>
    </main>
  );
}

export function GroupView({ group }: { group: string }) {
  const [params, setParams] = useUrlParams();
  const range = parseRange(params.get("range"));
  const detail = parseDetail(params.get("detail"));
  const query = useLag(range, group);
  const answer = query.data;
  const g = answer?.groups.find((x) => x.group === group);

  if (query.isPending) {
    return (
      <main className="page muted" role="status">
        Loading consumer group <span className="mono">{group}</span>…
      </main>
    );
  }
  if (!answer) {
    if (query.error instanceof ApiError && query.error.status === 404) return <Unknown group={group} reason={query.error.message} />;
    return (
      <main className="page">
        <div className="error-box" role="status">
          Could not load consumer group lag: {errorText(query.error)}{" "}
          <button type="button" onClick={() => void query.refetch()}>
            Retry
          </button>
        </div>
      </main>
    );
  }
  if (!g) return <Unknown group={group} reason="The lag sampler does not know this group." />;

  return (
    <main className={`${styles.page} ${styles.palette}`}>
      <div className={styles.head}>
        <Link href={range === DEFAULT_RANGE ? "/lag" : `/lag?range=${range}`} className="small">
          ← all groups
        </Link>
        <h1 className={styles.title}>
          <span className="muted small">consumer group</span> <span className="mono">{g.group}</span>
        </h1>
        <CopyButton text={g.group} what="group name" />
        <span className={styles.live} title={`Checking for a new sample every ${LAG_POLL_MS / 1000} s`}>
          ● live
        </span>
        {query.isFetching && <span className="muted small">updating…</span>}
        <div className={styles.spacer} />
        <RangePicker value={range} onPick={(r) => setParams({ range: r === DEFAULT_RANGE ? null : r })} />
        <DetailToggle value={detail} onPick={(d) => setParams({ detail: d === "topic" ? null : d })} />
      </div>
      <div className={styles.statusLine}>
        <StatusBadge status={g.status} reason={g.reason} />
        <StaleBadge stale={g.stale} ageSeconds={g.sampleAgeSeconds} />
        <span>{g.reason}</span>
      </div>
      <div className={styles.stats}>
        <span>
          <strong><Members n={g.members} /></strong> member{g.members === 1 ? "" : "s"}
        </span>
        <span>
          state <strong>{g.state}</strong>
        </span>
        <span>
          offset lag <strong><LagValue text={formatLag(g.lag)} known={g.lag !== null} /></strong>
        </span>
        <span>
          behind <strong><LagValue text={formatDuration(g.timeLagSeconds)} known={g.timeLagSeconds !== null} /></strong>
        </span>
        <span>
          <strong>{g.topics.length}</strong> topic{g.topics.length === 1 ? "" : "s"}, <strong>{g.partitions.length}</strong> partitions
        </span>
        <SampleInfo answer={answer} />
      </div>
      {query.isError && (
        <p className={styles.note} role="status">
          Refreshing failed ({errorText(query.error)}); showing the last answer.
        </p>
      )}
      <StaleSampleNote answer={answer} />
      <div className={query.isPlaceholderData ? styles.dim : undefined}>
        <LagCharts group={group} range={range} detail={detail} />
        <Markers g={g} answer={answer} range={range} />
        <section className={styles.section} aria-labelledby="partitions-heading">
          <h2 id="partitions-heading">Partitions</h2>
          <PartitionTable partitions={g.partitions} />
        </section>
      </div>
    </main>
  );
}
