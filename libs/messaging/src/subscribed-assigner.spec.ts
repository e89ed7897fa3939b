import { AssignerProtocol, type Cluster, type Logger } from 'kafkajs';
import { subscribedAssigner } from './subscribed-assigner';

const partitionsOf: Record<string, number> = { turns: 6, search: 2, events: 3 };
const cluster = {
  addMultipleTargetTopics: async () => undefined,
  findTopicPartitionMetadata: (topic: string) => Array.from({ length: partitionsOf[topic] }, (_, partitionId) => ({ partitionId })),
} as unknown as Cluster;

const member = (memberId: string, topics: string[]) => ({
  memberId,
  memberMetadata: AssignerProtocol.MemberMetadata.encode({ version: 0, topics, userData: Buffer.alloc(0) }),
});

async function assign(members: ReturnType<typeof member>[]): Promise<Record<string, Record<string, number[]>>> {
  const assigner = subscribedAssigner({ cluster, groupId: 'g', logger: {} as Logger });
  const assigned = await assigner.assign({ members, topics: [] });
  return Object.fromEntries(assigned.map((a) => [a.memberId, AssignerProtocol.MemberAssignment.decode(a.memberAssignment)!.assignment]));
}

describe('subscribedAssigner', () => {
  it('gives a topic only to the members that subscribe to it, whoever leads', async () => {
    // An older replica without "events" (a rolling upgrade adding it) and a newer one with it.
    const assigned = await assign([member('a-old', ['turns', 'search']), member('b-new', ['turns', 'search', 'events'])]);
    expect(assigned['a-old'].events).toBeUndefined();
    expect(assigned['b-new'].events).toEqual([0, 1, 2]);
    const turns = [...(assigned['a-old'].turns ?? []), ...(assigned['b-new'].turns ?? [])].sort();
    expect(turns).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('spreads the partitions evenly over members that subscribe alike', async () => {
    const assigned = await assign([member('a', ['turns', 'search', 'events']), member('b', ['turns', 'search', 'events'])]);
    const count = (id: string) => Object.values(assigned[id]).flat().length;
    expect(count('a') + count('b')).toBe(11);
    expect(Math.abs(count('a') - count('b'))).toBeLessThanOrEqual(1);
    expect(assigned.a.turns).toHaveLength(3);
    expect(assigned.b.turns).toHaveLength(3);
  });

  it('spreads each topic over its subscribers, even when one member also holds topics the other does not read', async () => {
    // A search-only replica beside one that serves search and the admin topics ("turns", "events").
    const assigned = await assign([member('reader', ['search']), member('writer', ['events', 'search', 'turns'])]);
    expect(assigned.reader.search).toHaveLength(1);
    expect(assigned.writer.search).toHaveLength(1);
    expect(assigned.writer.turns).toHaveLength(6);
    expect(assigned.writer.events).toHaveLength(3);
  });
});
