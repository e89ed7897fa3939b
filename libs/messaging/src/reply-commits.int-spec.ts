// A process's replies are read under a group of its own whose offset matters only when it rejoins
// (after a broker outage): committed every few seconds, not per reply. kafkajs's autoCommit commits
// after every batch whatever its interval, which made each reply an offset write on the broker.
import { create } from '@bufbuild/protobuf';
import { Kafka, logLevel } from 'kafkajs';
import { register } from 'prom-client';
import { Rpcs, SearchRequestSchema, SearchResultSchema } from '@switchboard/contracts';
import { connectTestBus, infra, quietLogger, uniqueName, waitFor } from '@switchboard/testing';
import { RpcClient, serveRpc, type KafkaBus } from './index';

const tenantId = uniqueName('tenant');

async function offsetCommitsSent(): Promise<number> {
  const metric = await register.getSingleMetric('switchboard_kafka_requests_total')!.get();
  return metric.values.filter((v) => v.labels.api === 'OffsetCommit').reduce((n, v) => n + v.value, 0);
}

describe('reply topic offsets', () => {
  let responder: { bus: KafkaBus; close: () => Promise<void> };
  let caller: { bus: KafkaBus; close: () => Promise<void> };
  afterAll(async () => Promise.all([responder?.close(), caller?.close()]));

  it('are committed every few seconds, not once per reply', async () => {
    responder = await connectTestBus(uniqueName('responder'));
    caller = await connectTestBus(uniqueName('caller'));
    const search = { ...Rpcs.retrievalSearch, name: uniqueName('test.reply-commits') };
    await responder.bus.ensureTopics([{ name: search.name, partitions: 1 }]);
    await serveRpc(responder.bus, search, async () => create(SearchResultSchema, { passages: [] }), quietLogger());
    const client = new RpcClient(caller.bus, quietLogger());
    await client.start();
    try {
      const before = await offsetCommitsSent();
      for (let i = 0; i < 30; i += 1)
        await client.request(search, create(SearchRequestSchema, { tenantId, query: `q${i}`, limit: 1 }), { timeoutMs: 15_000 });
      // The responder commits its request topic at most every 200 ms; the 30 replies add at most one commit.
      const sent = (await offsetCommitsSent()) - before;
      expect(sent).toBeLessThan(12);

      // …and what was read is committed within the interval, for a rejoin to resume from.
      const admin = new Kafka({ clientId: 'offsets', brokers: infra.kafkaBrokers(), logLevel: logLevel.NOTHING }).admin();
      await admin.connect();
      try {
        const groupId = `rpc.replies.${caller.bus.service}.${caller.bus.options.instanceId}`;
        const ends = await admin.fetchTopicOffsets(client.replyTopic);
        const committed = async () => {
          const [{ partitions }] = await admin.fetchOffsets({ groupId, topics: [client.replyTopic] });
          return partitions.every((p) => p.offset === ends.find((e) => e.partition === p.partition)!.offset);
        };
        await waitFor(committed, 'the reply offsets committed', 10_000);
      } finally {
        await admin.disconnect();
      }
    } finally {
      await client.stop();
    }
  });
});
