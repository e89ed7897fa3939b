import { AssignerProtocol, PartitionAssigners, type PartitionAssigner } from 'kafkajs';

/**
 * Assigns each topic's partitions only to the members that subscribe to it, evenly over them, the
 * least loaded first.
 * kafkajs's round robin hands every member partitions of the leader's topics, whoever subscribed:
 * with a consumer per service serving all its topics, a rolling upgrade that adds or drops a topic
 * would give members partitions they do not read (kafkajs drops them until the next rebalance) and
 * leave topics only the newer members read unassigned.
 */
export const subscribedAssigner: PartitionAssigner = ({ cluster }) => ({
  name: 'SubscribedLeastLoaded',
  version: 0,

  async assign({ members }) {
    const subscribers = new Map<string, string[]>();
    for (const { memberId, memberMetadata } of members)
      for (const topic of AssignerProtocol.MemberMetadata.decode(memberMetadata)?.topics ?? [])
        subscribers.set(topic, [...(subscribers.get(topic) ?? []), memberId]);
    // The leader's metadata covers its own topics; the others' are fetched here.
    await cluster.addMultipleTargetTopics([...subscribers.keys()]);

    const load = new Map(members.map(({ memberId }) => [memberId, 0]));
    const assignment = new Map<string, Record<string, number[]>>(members.map(({ memberId }) => [memberId, {}]));
    for (const topic of [...subscribers.keys()].sort()) {
      const candidates = subscribers.get(topic)!.sort();
      const partitions = cluster
        .findTopicPartitionMetadata(topic)
        .map((p) => p.partitionId)
        .sort((a, b) => a - b);
      // Each topic spread evenly over its own subscribers first (a busy topic must not land on one
      // member because it has fewer partitions of idle topics), then the least loaded overall.
      const ofTopic = new Map(candidates.map((id) => [id, 0]));
      const lighter = (a: string, b: string) => ofTopic.get(a)! - ofTopic.get(b)! || load.get(a)! - load.get(b)!;
      for (const partition of partitions) {
        const member = candidates.reduce((best, next) => (lighter(next, best) < 0 ? next : best));
        ofTopic.set(member, ofTopic.get(member)! + 1);
        load.set(member, load.get(member)! + 1);
        (assignment.get(member)![topic] ??= []).push(partition);
      }
    }
    return [...assignment].map(([memberId, topics]) => ({
      memberId,
      memberAssignment: AssignerProtocol.MemberAssignment.encode({ version: this.version, assignment: topics, userData: Buffer.alloc(0) }),
    }));
  },

  protocol({ topics }) {
    return {
      name: this.name,
      metadata: AssignerProtocol.MemberMetadata.encode({ version: this.version, topics, userData: Buffer.alloc(0) }),
    };
  },
});

/** Ours first; kafkajs's round robin still offered, so a group never refuses a member that knows only it. */
export const partitionAssigners = [subscribedAssigner, PartitionAssigners.roundRobin];
