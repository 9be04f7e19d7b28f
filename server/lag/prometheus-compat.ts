// The lag metrics again under kafka-lag-exporter's names and labels, so Grafana dashboards and
// alerts built for it work unchanged against Flowtap. Pure: rows in, families out.
//
// Names, label sets and help texts as seglo/kafka-lag-exporter defines them
// (src/main/scala/com/lightbend/kafkalagexporter/Metrics.scala):
//   per group partition  cluster_name, group, topic, partition, member_host, consumer_id, client_id
//     kafka_consumergroup_group_offset, kafka_consumergroup_group_lag, kafka_consumergroup_group_lag_seconds
//   per group            cluster_name, group
//     kafka_consumergroup_group_max_lag, kafka_consumergroup_group_max_lag_seconds, kafka_consumergroup_group_sum_lag
//   per group topic      cluster_name, group, topic
//     kafka_consumergroup_group_topic_sum_lag
//   per partition        cluster_name, topic, partition
//     kafka_partition_latest_offset, kafka_partition_earliest_offset
// A partition nobody is assigned (a group without members, or a commit on a partition outside
// the current assignment) gets "unknown" for member_host, consumer_id and client_id, as the
// exporter does for groups without members (KafkaClient.getGroupPartitionsInfo). Where the exporter
// writes NaN (no commit, time lag not known yet) we leave the series out, as Flowtap's own
// metrics do; a dashboard shows both as a gap. kafka_consumergroup_poll_time_ms (the exporter's
// own poll duration) has no counterpart here and is not exported.
import type { PartitionRow } from "./compute-tick";
import { family, type Labels, type MetricFamily } from "./exposition";

export interface CompatGroup {
  group: string;
  /** memberId → owner; memberId is what the exporter calls consumer_id. */
  assignments: Record<string, { clientId: string; host: string; assignment: Record<string, number[]> }>;
  partitions: ReadonlyArray<Pick<PartitionRow, "topic" | "partition" | "committed" | "lag" | "timeLagSeconds">>;
}

export interface PartitionOffsets {
  topic: string;
  partition: number;
  /** Decimal strings: offsets are 64-bit. */
  latest: string;
  earliest: string | null;
}

const UNKNOWN = "unknown";

function owner(g: CompatGroup, topic: string, partition: number): { member_host: string; consumer_id: string; client_id: string } {
  for (const [memberId, m] of Object.entries(g.assignments)) {
    if (m.assignment[topic]?.includes(partition)) return { member_host: m.host, consumer_id: memberId, client_id: m.clientId };
  }
  return { member_host: UNKNOWN, consumer_id: UNKNOWN, client_id: UNKNOWN };
}

const max = (xs: number[]) => (xs.length ? Math.max(...xs) : null);

export function kafkaLagExporterFamilies(clusterName: string, groups: readonly CompatGroup[], offsets: readonly PartitionOffsets[]): MetricFamily[] {
  const perPartition: Array<{ labels: Labels; p: CompatGroup["partitions"][number] }> = [];
  for (const g of groups) {
    for (const p of g.partitions) {
      perPartition.push({ labels: { cluster_name: clusterName, group: g.group, topic: p.topic, partition: p.partition, ...owner(g, p.topic, p.partition) }, p });
    }
  }
  const perGroup = groups.map((g) => {
    const lags = g.partitions.flatMap((p) => (p.lag === null ? [] : [p.lag]));
    const secs = g.partitions.flatMap((p) => (p.timeLagSeconds === null ? [] : [p.timeLagSeconds]));
    return { labels: { cluster_name: clusterName, group: g.group }, lags, maxLag: max(lags), maxSecs: max(secs) };
  });
  const perTopic = groups.flatMap((g) =>
    [...new Set(g.partitions.map((p) => p.topic))].map((topic) => {
      const lags = g.partitions.filter((p) => p.topic === topic && p.lag !== null).map((p) => p.lag!);
      return { labels: { cluster_name: clusterName, group: g.group, topic }, lags };
    }),
  );
  const tp = (o: PartitionOffsets) => ({ cluster_name: clusterName, topic: o.topic, partition: o.partition });
  const sumOf = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  return [
    family("kafka_consumergroup_group_offset", "gauge", "Last group consumed offset of a partition",
      perPartition.filter((x) => x.p.committed !== null).map((x) => [x.labels, x.p.committed!])),
    family("kafka_consumergroup_group_lag", "gauge", "Group offset lag of a partition",
      perPartition.filter((x) => x.p.lag !== null).map((x) => [x.labels, x.p.lag!])),
    family("kafka_consumergroup_group_lag_seconds", "gauge", "Group time lag of a partition",
      perPartition.filter((x) => x.p.timeLagSeconds !== null).map((x) => [x.labels, x.p.timeLagSeconds!])),
    family("kafka_consumergroup_group_max_lag", "gauge", "Max group offset lag",
      perGroup.filter((g) => g.maxLag !== null).map((g) => [g.labels, g.maxLag!])),
    family("kafka_consumergroup_group_max_lag_seconds", "gauge", "Max group time lag",
      perGroup.filter((g) => g.maxSecs !== null).map((g) => [g.labels, g.maxSecs!])),
    family("kafka_consumergroup_group_sum_lag", "gauge", "Sum of group offset lag",
      perGroup.filter((g) => g.lags.length > 0).map((g) => [g.labels, sumOf(g.lags)])),
    family("kafka_consumergroup_group_topic_sum_lag", "gauge", "Sum of group offset lag across topic partitions",
      perTopic.filter((t) => t.lags.length > 0).map((t) => [t.labels, sumOf(t.lags)])),
    family("kafka_partition_latest_offset", "gauge", "Latest offset of a partition", offsets.map((o) => [tp(o), o.latest])),
    family("kafka_partition_earliest_offset", "gauge", "Earliest offset of a partition",
      offsets.filter((o) => o.earliest !== null).map((o) => [tp(o), o.earliest!])),
  ];
}
