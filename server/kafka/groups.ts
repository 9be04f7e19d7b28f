import "server-only";
// Consumer-group reads for the lag sampler: groups, their members and assignments, their
// committed offsets, and topic end offsets — each a plain function over one admin client.
import { AssignerProtocol, type Admin } from "kafkajs";
import { createKafka, type KafkaSettings } from "./client";

export interface GroupInfo {
  groupId: string;
  state: string;
  members: Array<{ memberId: string; clientId: string; host: string; assignment: Record<string, number[]> }>;
}

export interface CommittedOffset {
  topic: string;
  partition: number;
  /** null: the group never committed on this partition. */
  offset: string | null;
}

export interface TopicEnds {
  partition: number;
  high: string;
  low: string;
}

export interface GroupAdmin {
  listGroupIds(): Promise<string[]>;
  describeGroups(ids: string[]): Promise<GroupInfo[]>;
  committedOffsets(groupId: string): Promise<CommittedOffset[]>;
  topicEnds(topic: string): Promise<TopicEnds[]>;
  close(): Promise<void>;
}

function decodeAssignment(raw: Buffer | undefined): Record<string, number[]> {
  if (!raw || raw.length === 0) return {};
  try {
    return AssignerProtocol.MemberAssignment.decode(raw)?.assignment ?? {};
  } catch {
    // A non-consumer protocol (Connect workers) carries its own assignment format.
    return {};
  }
}

export async function createGroupAdmin(settings: KafkaSettings): Promise<GroupAdmin> {
  const admin: Admin = createKafka(settings, { clientId: `${settings.clientId}-lag` }).admin({ retry: { retries: 2 } });
  await admin.connect();
  return {
    listGroupIds: async () => (await admin.listGroups()).groups.map((g) => g.groupId).sort(),
    describeGroups: async (ids) => {
      if (ids.length === 0) return [];
      const { groups } = await admin.describeGroups(ids);
      return groups.map((g) => ({
        groupId: g.groupId,
        state: g.state,
        members: g.members.map((m) => ({ memberId: m.memberId, clientId: m.clientId, host: m.clientHost, assignment: decodeAssignment(m.memberAssignment) })),
      }));
    },
    committedOffsets: async (groupId) =>
      (await admin.fetchOffsets({ groupId })).flatMap((t) =>
        t.partitions.map((p) => ({ topic: t.topic, partition: p.partition, offset: BigInt(p.offset) < 0n ? null : p.offset })),
      ),
    topicEnds: async (topic) => (await admin.fetchTopicOffsets(topic)).map((o) => ({ partition: o.partition, high: o.high, low: o.low })),
    close: () => admin.disconnect(),
  };
}
