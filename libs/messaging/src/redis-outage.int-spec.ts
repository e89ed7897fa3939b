// A Redis outage is waited out: with the consumer's dedupe store and its handler's state on a
// PRIVATE redis-server that is shut down (connections refused) for 10 s while messages keep coming,
// every message is handled once and nothing goes to the dead-letter topic.
import Redis from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { Topics, deadLetterTopicOf } from '@switchboard/contracts';
import { connectTestBus, infra, PrivateRedis, quietLogger, testTurn, uniqueName, waitFor } from '@switchboard/testing';
import { KafkaBus, RedisDedupeStore } from './index';

const tenantId = uniqueName('tenant');

describe('a Redis outage', () => {
  let server: PrivateRedis;
  let redis: Redis;
  let bus: KafkaBus;
  let publisher: Awaited<ReturnType<typeof connectTestBus>>;

  beforeAll(async () => {
    server = new PrivateRedis();
    await server.start();
    // As the services connect (libs/platform): no offline queue, two retries per command.
    redis = new Redis(server.url, { maxRetriesPerRequest: 2, enableOfflineQueue: false, lazyConnect: true });
    redis.on('error', () => undefined);
    await redis.connect();
    bus = new KafkaBus({
      service: uniqueName('svc'),
      instanceId: 'i1',
      brokers: infra.kafkaBrokers(),
      logger: quietLogger(),
      dedupe: new RedisDedupeStore(redis),
    });
    await bus.connect();
    publisher = await connectTestBus(uniqueName('publisher'));
  });
  afterAll(async () => {
    await bus?.disconnect();
    await publisher?.close();
    redis?.disconnect();
    await server?.destroy();
  });

  it('delays messages while the server refuses connections, then handles each once; no dead letters', async () => {
    const topic = { ...Topics.inbound, name: uniqueName('test.redis-outage') };
    await bus.ensureTopics([{ name: topic.name, partitions: 2 }]);
    const handled: string[] = [];
    await bus.subscribe(
      topic,
      async ({ message, envelope }) => {
        await redis.set(`state:${message.conversationId}`, message.text); // the handler's own state, as dialogue state is
        handled.push(envelope.messageId);
      },
      { groupId: uniqueName('g'), fromBeginning: true },
    );

    const conversations = Array.from({ length: 7 }, () => randomUUID());
    const sent: string[] = [];
    const send = async (count: number) => {
      for (let i = 0; i < count; i += 1) {
        const envelope = await publisher.bus.publish(
          topic,
          testTurn({ tenantId, conversationId: conversations[i % 7], customerId: 'cust', text: `turn ${sent.length}` }),
        );
        sent.push(envelope.messageId);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    await send(20);
    await waitFor(() => handled.length === 20, 'the messages sent before the outage');
    await server.stop();
    const stoppedAt = Date.now();
    await send(30); // ~3 s of messages while Redis is down
    await new Promise((r) => setTimeout(r, Math.max(0, stoppedAt + 10_000 - Date.now())));
    expect(handled).toHaveLength(20); // nothing can be deduplicated meanwhile, so nothing is handled
    await server.start();
    await send(20);
    await waitFor(() => handled.length >= sent.length, 'every message after Redis is back', 60_000);
    await new Promise((r) => setTimeout(r, 1000)); // a late duplicate would show here

    expect([...handled].sort()).toEqual([...sent].sort());
    const admin = new Kafka({ clientId: 'dlq-check', brokers: infra.kafkaBrokers(), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const offsets = await admin.fetchTopicOffsets(deadLetterTopicOf(topic.name));
      expect(offsets.map((o) => Number(o.high)).reduce((a, b) => a + b, 0)).toBe(0);
    } finally {
      await admin.disconnect();
    }
  }, 180_000);
});
