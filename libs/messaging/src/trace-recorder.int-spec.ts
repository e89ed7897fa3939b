// Traces on the real Kafka and Redis: a sampled message's consumers record one span each, linked by
// causation, under the first message's id; an unsampled one records nothing.
import Redis from 'ioredis';
import { Topics } from '@switchboard/contracts';
import { infra, quietLogger, testTurn, uniqueName, waitFor } from '@switchboard/testing';
import { KafkaBus, RedisDedupeStore, RedisTraceRecorder, readTrace } from './index';

const tenantId = uniqueName('tenant');
const turn = (text: string) => testTurn({ tenantId, text });

describe('traces', () => {
  const redis = new Redis(infra.redisUrl());
  const buses: KafkaBus[] = [];
  const bus = (service: string, traceSampleRate: number) => {
    const b = new KafkaBus({
      service,
      instanceId: uniqueName('i'),
      brokers: infra.kafkaBrokers(),
      logger: quietLogger(service),
      dedupe: new RedisDedupeStore(redis),
      traces: new RedisTraceRecorder(redis),
      traceSampleRate,
    });
    buses.push(b);
    return b;
  };
  afterAll(async () => {
    await Promise.all(buses.map((b) => b.disconnect()));
    redis.disconnect();
  });

  it('records every hop of a sampled message, linked to the message that caused it; nothing for an unsampled one', async () => {
    const first = { ...Topics.inbound, name: uniqueName('trace.first') };
    const second = { ...Topics.inbound, name: uniqueName('trace.second') };
    const gateway = bus('gateway', 1);
    const unsampled = bus('gateway', 0);
    const worker = bus('worker', 0); // a consumer's own rate does not matter: the trace's flag does
    await Promise.all([gateway.connect(), unsampled.connect(), worker.connect()]);
    await worker.ensureTopics([
      { name: first.name, partitions: 2 },
      { name: second.name, partitions: 2 },
    ]);
    const handled: string[] = [];
    // The first hop publishes the second while it is handled, as the conversation service asks retrieval.
    await worker.subscribe(first, async ({ message }) => {
      await worker.publish(second, turn(`${message.text} again`));
    });
    await worker.subscribe(second, async ({ message }) => void handled.push(message.text));

    const sampled = await gateway.publish(first, turn('sampled'));
    const notSampled = await unsampled.publish(first, turn('not sampled'));
    await waitFor(() => handled.includes('sampled again') && handled.includes('not sampled again'), 'both chains handled', 60_000);

    const spans = await waitFor(async () => {
      const found = await readTrace(redis, tenantId, sampled.messageId);
      return found.length === 2 ? found : undefined;
    }, 'the sampled chain recorded');
    expect(spans.map((s) => [s.topic, s.service, s.outcome])).toEqual([
      [first.name, 'worker', 'ok'],
      [second.name, 'worker', 'ok'],
    ]);
    expect(spans[0].messageId).toBe(sampled.messageId);
    expect(spans[0].causationId).toBeUndefined();
    expect(spans[1].causationId).toBe(sampled.messageId);
    expect(new Set(spans.map((s) => s.traceId)).size).toBe(1);
    for (const s of spans) expect(Date.parse(s.publishedAt) <= Date.parse(s.startedAt) + 5 && s.startedAt <= s.endedAt).toBe(true);
    // Times and names only: no message content is kept.
    expect(JSON.stringify(spans)).not.toContain('sampled again');
    expect(await readTrace(redis, tenantId, notSampled.messageId)).toEqual([]);
  });
});
