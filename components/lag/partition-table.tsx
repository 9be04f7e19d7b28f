// A group's partitions, worst status first: where the lag is, who owns it, and why the status.
import { LagValue, StatusBadge } from "./cells";
import { formatDuration, formatLag, sortPartitions } from "./chart-data";
import type { PartitionLag } from "./lag-api";
import styles from "./lag.module.css";

export function PartitionTable({ partitions }: { partitions: readonly PartitionLag[] }) {
  if (partitions.length === 0) return <p className="muted">This group has no committed offsets and no assigned partitions.</p>;
  return (
    <div className={styles.tableWrap}>
      <table className={styles.table}>
        <thead>
          <tr>
            <th>Topic</th>
            <th className={styles.num}>Partition</th>
            <th className={styles.num}>Committed</th>
            <th className={styles.num}>End</th>
            <th className={styles.num}>Lag</th>
            <th className={styles.num}>Seconds behind</th>
            <th>Status</th>
            <th>Member</th>
          </tr>
        </thead>
        <tbody>
          {sortPartitions(partitions).map((p) => (
            <tr key={`${p.topic}/${p.partition}`} data-testid="lag-partition-row" data-topic={p.topic} data-partition={p.partition} data-status={p.status}>
              <td className={styles.name} title={p.topic}>
                {p.topic}
              </td>
              <td className={`${styles.num} mono`}>{p.partition}</td>
              <td className={`${styles.num} mono`}>
                <LagValue text={p.committed ?? "no commit"} known={p.committed !== null} />
              </td>
              <td className={`${styles.num} mono`}>{p.end}</td>
              <td className={`${styles.num} mono`}>
                <LagValue text={formatLag(p.lag)} known={p.lag !== null} />
              </td>
              <td className={styles.num}>
                <LagValue text={formatDuration(p.timeLagSeconds)} known={p.timeLagSeconds !== null} />
              </td>
              <td>
                <StatusBadge status={p.status} reason={p.reason} /> <span className={styles.reason}>{p.reason}</span>
              </td>
              <td className={styles.name} title={p.member ?? "No member owns this partition"}>
                {p.member ?? <span className={styles.unknown}>unassigned</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
