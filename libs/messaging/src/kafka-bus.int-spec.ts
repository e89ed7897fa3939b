import { create, toJsonString, type MessageInitShape } from '@bufbuild/protobuf';
import { Kafka } from 'kafkajs';
import {
  InboundTurnSchema,
  Rpcs,
  SearchRequestSchema,
  SearchResultSchema,
  Topics,
  deadLetterTopicOf,
  type InboundTurn,
} from '@switchboard/contracts';
import { connectTestBus, infra, quietLogger, testTurn, uniqueName, waitFor } from '@switchboard/testing';
import {
  dedupeKey,
  Header,
  KafkaBus,
  PermanentError,
  RpcClient,
  RpcRemoteError,
  RpcTimeoutError,
  serveRpc,
  type Delivery,
  newEnvelope,
  writeEnvelope,
} from './index';
import type Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';

const tenantId = uniqueName('tenant');

function turn(text: string, overrides: MessageInitShape<typeof InboundTurnSchema> = {}): InboundTurn {
  return testTurn({ tenantId, text, customerId: 'cust-1', ...overrides });
}

async function readDeadLetters(topic: string, count: number) {
  const kafka = new Kafka({ clientId: 'dlq-reader', brokers: infra.kafkaBrokers(), logLevel: 0 });
  const consumer = kafka.consumer({ groupId: uniqueName('dlq'), maxWaitTimeInMs: 100 });
  const seen: Array<{ reason: string; value: string }> = [];
  await consumer.connect();
  await consumer.subscribe({ topic: deadLetterTopicOf(topic), fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      seen.push({ reason: String(message.headers?.[Header.deadLetterReason]), value: String(message.value) });
    },
  });
  try {
    await waitFor(() => seen.length >= count, `${count} dead letters on ${topic}`);
    return seen;
  } finally {
    await consumer.disconnect();
  }
}

describe('KafkaBus against a real broker', () => {
  let bus: KafkaBus;
  let redis: Redis;
  let close: () => Promise<void>;
  const inbound = { ...Topics.inbound, name: uniqueName('test.inbound') };

  beforeAll(async () => {
    ({ bus, redis, close } = await connectTestBus(uniqueName('svc')));
    await bus.ensureTopics([{ name: inbound.name, partitions: 3 }]);
  });
  afterAll(async () => close());

  it('delivers a published message with its envelope, once, even when published twice', async () => {
    const received: Delivery<InboundTurn>[] = [];
    await bus.subscribe(
      inbound,
      async (d) => {
        received.push(d);
      },
      { groupId: uniqueName('g'), fromBeginning: true },
    );
    const message = turn('where is my order?');
    const envelope = await bus.publish(inbound, message, { messageId: randomUUID() });
    await bus.publish(inbound, message, { messageId: envelope.messageId }); // a redelivery
    const marker = await bus.publish(inbound, turn('marker'));
    await waitFor(() => received.some((d) => d.envelope.messageId === marker.messageId), 'the marker message');
    const copies = received.filter((d) => d.envelope.messageId === envelope.messageId);
    expect(copies).toHaveLength(1);
    expect(copies[0].message.text).toBe('where is my order?');
    expect(copies[0].envelope).toMatchObject({
      tenantId,
      correlationId: envelope.correlationId,
      type: 'switchboard.conversation.v1.InboundTurn',
    });
    expect(copies[0].envelope.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/);
  });

  it('dead-letters a message that froze its consumer on every delivery, instead of freezing the next one after each restart', async () => {
    const topic = { ...Topics.inbound, name: uniqueName('test.freeze') };
    await bus.ensureTopics([{ name: topic.name, partitions: 1 }]);
    const groupId = uniqueName('g');
    const envelope = await bus.publish(topic, turn('freeze'));
    const startsKey = `${dedupeKey(tenantId, groupId, envelope.messageId)}:starters`;
    // Three consumer processes in turn start on the message, freeze their event loop (as a
    // backtracking regex did in moderation), and are killed, as a liveness probe would.
    const dist = (lib: string) => JSON.stringify(path.resolve(__dirname, '../..', lib, 'dist'));
    const freezer = `
      const { connectTestBus } = require(${dist('testing')});
      const { Topics } = require(${dist('contracts')});
      connectTestBus('freezer').then(({ bus }) => bus.subscribe({ ...Topics.inbound, name: ${JSON.stringify(topic.name)} }, async () => { for (;;); }, { groupId: ${JSON.stringify(groupId)}, fromBeginning: true }));
    `;
    for (let i = 1; i <= 3; i += 1) {
      const child = spawn(process.execPath, ['-e', freezer], { stdio: 'ignore', env: process.env });
      await waitFor(async () => (await redis.scard(startsKey)) === i, `consumer ${i} to start on the message`, 90_000, 200);
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
    const handled: string[] = [];
    await bus.subscribe(
      topic,
      async (d) => {
        handled.push(d.message.text);
      },
      { groupId, fromBeginning: true },
    );
    const dead = await readDeadLetters(topic.name, 1);
    expect(dead[0].reason).toBe(
      'handling began in 3 processes and never finished (each crashed, was killed or stalled); not handled again',
    );
    expect(handled).toEqual([]);
    expect(await redis.exists(startsKey)).toBe(0);
  }, 300_000);

  it('sends poisoned messages to the dead-letter topic with the reason and carries on', async () => {
    const topic = { ...Topics.inbound, name: uniqueName('test.poison') };
    await bus.ensureTopics([{ name: topic.name, partitions: 1 }]);
    const handled: string[] = [];
    await bus.subscribe(
      topic,
      async (d) => {
        handled.push(d.message.text);
      },
      { groupId: uniqueName('g'), fromBeginning: true },
    );
    const headers = (tenant = tenantId) => writeEnvelope(newEnvelope({ type: 'x', tenantId: tenant, producer: 'test' }));
    await bus.send(topic.name, 'k', 'not json', headers());
    await bus.send(topic.name, 'k', toJsonString(InboundTurnSchema, turn('ok')), {});
    await bus.send(topic.name, 'k', toJsonString(InboundTurnSchema, turn('')), headers());
    await bus.send(topic.name, 'k', toJsonString(InboundTurnSchema, turn('hello')), headers('someone-else'));
    await bus.send(topic.name, 'k', JSON.stringify({ tenantId, surprise: 1 }), headers());
    await bus.publish(topic, turn('still consuming'));

    const letters = await readDeadLetters(topic.name, 5);
    const reasons = letters.map((l) => l.reason);
    expect(reasons[0]).toMatch(/payload is not a valid switchboard.conversation.v1.InboundTurn/);
    expect(reasons[1]).toBe('header sb-message-id is missing');
    expect(reasons[2]).toMatch(/text is required/);
    expect(reasons[3]).toMatch(/tenantId in the payload does not match/);
    expect(reasons[4]).toMatch(/surprise/);
    expect(letters[0].value).toBe('not json'); // the original bytes are kept for replay
    await waitFor(() => handled.includes('still consuming'), 'the valid message after the poisoned ones');
    expect(handled).toEqual(['still consuming']);
  });

  it('retries a failing handler, then dead-letters it after the last attempt', async () => {
    const topic = { ...Topics.inbound, name: uniqueName('test.retry') };
    await bus.ensureTopics([{ name: topic.name, partitions: 1 }]);
    const attempts = new Map<string, number>();
    await bus.subscribe(
      topic,
      async (d) => {
        const n = (attempts.get(d.message.text) ?? 0) + 1;
        attempts.set(d.message.text, n);
        if (d.message.text === 'flaky' && n < 2) throw new Error('database hiccup');
        if (d.message.text === 'broken') throw new Error('always fails');
      },
      { groupId: uniqueName('g'), fromBeginning: true, maxAttempts: 3 },
    );
    await bus.publish(topic, turn('flaky'));
    await bus.publish(topic, turn('broken'));
    const letters = await readDeadLetters(topic.name, 1);
    expect(letters[0].reason).toBe('handler failed after 3 attempts: always fails');
    expect(attempts.get('flaky')).toBe(2);
    expect(attempts.get('broken')).toBe(3);
  });

  it('answers request-reply calls, reports remote errors and times out clearly', async () => {
    const search = { ...Rpcs.retrievalSearch, name: uniqueName('test.search') };
    await bus.ensureTopics([{ name: search.name, partitions: 2 }]);
    await serveRpc(
      bus,
      search,
      async (req) => {
        if (req.query === 'explode') throw new PermanentError('NOT_ALLOWED', 'explosions are not allowed');
        // Shaped like a PermanentError without extending it, as the libs below messaging (crypto) throw.
        if (req.query === 'undecryptable')
          throw Object.assign(new Error('the value does not decrypt'), { retryable: false, code: 'DECRYPTION_FAILED' });
        return create(SearchResultSchema, { passages: [{ id: 'p1', title: `about ${req.query}`, text: 't', score: 1 }] });
      },
      quietLogger(),
    );
    const client = new RpcClient(bus, quietLogger());
    await client.start();
    try {
      const result = await client.request(search, create(SearchRequestSchema, { tenantId, query: 'returns', limit: 3 }), {
        timeoutMs: 15_000,
      });
      expect(result.passages[0].title).toBe('about returns');

      await expect(
        client.request(search, create(SearchRequestSchema, { tenantId, query: 'explode', limit: 3 }), { timeoutMs: 15_000 }),
      ).rejects.toThrow(RpcRemoteError);
      await expect(
        client.request(search, create(SearchRequestSchema, { tenantId, query: 'undecryptable', limit: 3 }), { timeoutMs: 15_000 }),
      ).rejects.toMatchObject({ code: 'DECRYPTION_FAILED' });

      const nobody = { ...Rpcs.retrievalSearch, name: uniqueName('test.nobody') };
      await bus.ensureTopics([{ name: nobody.name, partitions: 1 }]);
      const error = await client
        .request(nobody, create(SearchRequestSchema, { tenantId, query: 'hello', limit: 3 }), { timeoutMs: 500 })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RpcTimeoutError);
      expect((error as Error).message).toContain(nobody.name);
    } finally {
      await client.stop();
    }
  });

  it("runs one tenant's independent reads (searches) concurrently, not one at a time behind the tenant's key", async () => {
    // One partition, so nothing but the key decides: keyed by tenant, the four would queue behind each other.
    const search = { ...Rpcs.retrievalSearch, name: uniqueName('test.spread') };
    await bus.ensureTopics([{ name: search.name, partitions: 1 }]);
    let inFlight = 0;
    let most = 0;
    let release = () => undefined as void;
    const allIn = new Promise<void>((resolve) => (release = resolve));
    await serveRpc(
      bus,
      search,
      async (req) => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        if (inFlight === 4) release();
        // Held until all four are in (or 3 s, so a serial run ends and fails on `most` rather than hanging).
        await Promise.race([allIn, new Promise((r) => setTimeout(r, 3000))]);
        inFlight -= 1;
        return create(SearchResultSchema, { passages: [{ id: 'p', title: req.query, text: 't', score: 1 }] });
      },
      quietLogger(),
      { concurrency: 4 },
    );
    const client = new RpcClient(bus, quietLogger());
    await client.start();
    try {
      const answers = await Promise.all(
        ['a', 'b', 'c', 'd'].map((query) =>
          client.request(search, create(SearchRequestSchema, { tenantId, query, limit: 1 }), { timeoutMs: 30_000 }),
        ),
      );
      expect(answers.map((a) => a.passages[0].title)).toEqual(['a', 'b', 'c', 'd']);
      expect(most).toBe(4);
    } finally {
      await client.stop();
    }
  });

  it('records handled message ids in Redis under the tenant', async () => {
    const keys = await redis.keys(`t:${tenantId}:dedupe:*`);
    expect(keys.length).toBeGreaterThan(0);
  });
});
