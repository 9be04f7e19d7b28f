"use client";
// /lag: every consumer group, worst first as the server sorts them, polled while open. The
// range (?range=) sets the sparklines' window and travels along to a group's page.
import Link from "next/link";
import { errorText } from "../api";
import { Ago } from "../time";
import { useUrlParams } from "../use-url-params";
import { chartDomain, DEFAULT_RANGE, formatDuration, formatLag, parseRange, STATUS_TONE, type LagRange } from "./chart-data";
import { LagValue, Members, StaleBadge, StatusBadge } from "./cells";
import { lagGroupHref, type GroupLag, type LagAnswer } from "./lag-api";
import styles from "./lag.module.css";
import { RangePicker } from "./range-picker";
import { SampleInfo, StaleSampleNote } from "./sample-info";
import { Sparkline } from "./sparkline";
import { useLag } from "./use-lag";

function GroupRow({ g, range, domain }: { g: GroupLag; range: LagRange; domain: [number, number] | null }) {
  return (
    <tr data-testid="lag-group-row" data-group={g.group} data-status={g.status} data-stale={g.stale}>
      <td className={styles.name}>
        <Link href={lagGroupHref(g.group, range)} title={g.group}>
          {g.group}
        </Link>
      </td>
      <td>
        <StatusBadge status={g.status} reason={g.reason} />
        <StaleBadge stale={g.stale} ageSeconds={g.sampleAgeSeconds} />
      </td>
      <td className={styles.num}>
        <Members n={g.members} />
      </td>
      <td className={`${styles.num} mono`}>
        <LagValue text={formatLag(g.lag)} known={g.lag !== null} />
      </td>
      <td className={styles.num}>
        <LagValue text={formatDuration(g.timeLagSeconds)} known={g.timeLagSeconds !== null} />
      </td>
      <td className="small">{g.state}</td>
      <td>{domain && <Sparkline series={g.series} from={domain[0]} to={domain[1]} tone={STATUS_TONE[g.status]} />}</td>
      <td className={styles.topics} title={g.topics.map((t) => `${t.topic}: ${formatLag(t.lag)} (${t.partitions} partitions)`).join("\n")}>
        {g.topics.length ? g.topics.map((t) => t.topic).join(", ") : <span className="muted">no topics</span>}
      </td>
    </tr>
  );
}

function GroupTable({ answer, range }: { answer: LagAnswer; range: LagRange }) {
  const domain = answer.sampledAt ? chartDomain(answer.sampledAt, range) : null;
  return (
    <div className={styles.tableWrap}>
      <table className={styles.table}>
        <thead>
          <tr>
            <th>Group</th>
            <th>Status</th>
            <th className={styles.num}>Members</th>
            <th className={styles.num}>Offset lag</th>
            <th className={styles.num}>Seconds behind</th>
            <th>State</th>
            <th>Lag, last {range}</th>
            <th>Topics</th>
          </tr>
        </thead>
        <tbody>
          {answer.groups.map((g) => (
            <GroupRow key={g.group} g={g} range={range} domain={domain} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function NoGroups({ answer }: { answer: LagAnswer }) {
  return (
    <div className="state" data-testid="lag-empty">
      <p>No consumer groups yet.</p>
      <p className="hint">
        A group shows up here within {answer.intervalS} s of a consumer with a <code>group.id</code> joining the cluster or committing offsets.{" "}
        {answer.sampledAt ? (
          <>
            Last looked <Ago iso={answer.sampledAt} />.
          </>
        ) : (
          <>
            No lag sample has been taken yet: the web server samples every {answer.intervalS} s (<code>FLOWTAP_LAG_INTERVAL_S</code>), as long as it
            can reach Kafka (see the status above).
          </>
        )}
      </p>
    </div>
  );
}

export function LagListView() {
  const [params, setParams] = useUrlParams();
  const range = parseRange(params.get("range"));
  const query = useLag(range, null);
  const answer = query.data;
  return (
    <main className={`page ${styles.palette}`}>
      <div className="page-narrow">
        <div className={styles.head}>
          <h1>Consumer lag</h1>
          <RangePicker value={range} onPick={(r) => setParams({ range: r === DEFAULT_RANGE ? null : r })} />
          {answer && <SampleInfo answer={answer} />}
          {query.isFetching && <span className="muted small">updating…</span>}
        </div>
        {query.isError && answer && (
          <p className={styles.note} role="status">
            Refreshing failed ({errorText(query.error)}); showing the last answer.
          </p>
        )}
        {answer && <StaleSampleNote answer={answer} />}
        {query.isPending ? (
          <p className="muted">Loading consumer groups…</p>
        ) : !answer ? (
          <div className="error-box" role="status">
            Could not load consumer lag: {errorText(query.error)}{" "}
            <button type="button" onClick={() => void query.refetch()}>
              Retry
            </button>
          </div>
        ) : answer.groups.length === 0 ? (
          <NoGroups answer={answer} />
        ) : (
          <div className={query.isPlaceholderData ? styles.dim : undefined}>
            <GroupTable answer={answer} range={range} />
          </div>
        )}
      </div>
    </main>
  );
}
