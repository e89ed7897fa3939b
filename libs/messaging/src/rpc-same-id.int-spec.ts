// A request asked again under its id after a timeout is answered once: the responder neither
// starts it a second time while the first run is under way, nor after it replied — it sends the
// stored reply again, also from a responder that restarted since. Real Kafka and Redis.
import { randomUUID } from 'node:crypto';
import { create } from '@bufbuild/protobuf';
import { Rpcs, SearchRequestSchema, SearchResultSchema } from '@switchboard/contracts';
import { connectTestBus, quietLogger, testCipher, uniqueName } from '@switchboard/testing';
import type Redis from 'ioredis';
import { RedisReplyStore, RpcClient, RpcTimeoutError, serveRpc, type KafkaBus } from './index';

const tenantId = uniqueName('tenant');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a request asked again under the same id', () => {
  const service = uniqueName('svc');
  let bus: KafkaBus;
  let redis: Redis;
  let close: () => Promise<void>;
  let client: RpcClient;

  beforeAll(async () => {
    ({ bus, redis, close } = await connectTestBus(service));
    client = new RpcClient(bus, quietLogger());
    await client.start();
  });
  afterAll(async () => {
    await client.stop();
    const keys = await redis.keys(`t:${tenantId}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await close();
  });

  /** Asks as the conversation's downstream client does: again after each timeout, under one id. */
  async function askUntilAnswered(search: typeof Rpcs.retrievalSearch, query: string, requestId: string, timeoutMs: number) {
    for (let attempt = 1; attempt <= 8; attempt += 1) {
      try {
        const result = await client.request(search, create(SearchRequestSchema, { tenantId, query, limit: 1 }), {
          timeoutMs,
          requestId,
        });
        return { result, attempts: attempt };
      } catch (error) {
        if (!(error instanceof RpcTimeoutError)) throw error;
      }
    }
    throw new Error(`no reply to ${requestId} in 8 attempts`);
  }

  it('runs a responder slower than the timeout once, and the caller gets its one reply', async () => {
    const search = { ...Rpcs.retrievalSearch, name: uniqueName('test.slow') };
    await bus.ensureTopics([{ name: search.name, partitions: 2 }]);
    const runs: string[] = [];
    await serveRpc(
      bus,
      search,
      async (req) => {
        runs.push(req.query);
        await sleep(2_500);
        return create(SearchResultSchema, { passages: [{ id: 'p1', title: `answer ${runs.length}`, text: 't', score: 1 }] });
      },
      quietLogger(),
    );

    const { result, attempts } = await askUntilAnswered(search, 'slow question', randomUUID(), 1_000);

    expect(attempts).toBeGreaterThan(1); // it did time out and ask again
    expect(result.passages[0].title).toBe('answer 1');
    await sleep(3_000); // any attempt that would start a second run has arrived by now
    expect(runs).toEqual(['slow question']);
  });

  it('leaves a request under way to the run holding its claim, until that run replies, gives up or dies', async () => {
    // Claims lapse 600 ms after their run's last refresh (every 200 ms) here, 15 s in services.
    const store = new RedisReplyStore(redis, testCipher(), 60_000, 600);
    const topic = uniqueName('test.claims');
    const requestId = randomUUID();

    const first = await store.claim(tenantId, topic, requestId);
    expect(first.kind).toBe('claimed');
    await sleep(1_000); // past the claim's TTL: the refreshes keep it while the run lasts
    expect((await store.claim(tenantId, topic, requestId)).kind).toBe('busy');
    if (first.kind !== 'claimed') throw new Error('unreachable');
    await first.claim.store({ status: 'ok', body: '{"text":"the one answer"}' });
    expect(await store.claim(tenantId, topic, requestId)).toEqual({
      kind: 'replied',
      reply: { status: 'ok', body: '{"text":"the one answer"}' },
    });

    // A run that fails gives its claim up at once, so the bus's retry runs the request.
    const failing = randomUUID();
    const failed = await store.claim(tenantId, topic, failing);
    if (failed.kind !== 'claimed') throw new Error(`expected a claim, got ${failed.kind}`);
    await failed.claim.release();
    const retried = await store.claim(tenantId, topic, failing);
    expect(retried.kind).toBe('claimed');
    if (retried.kind === 'claimed') await retried.claim.release();

    // A run that died (its claim no longer refreshed) blocks a repeat only until the claim lapses.
    const dead = randomUUID();
    await redis.set(RedisReplyStore.key(tenantId, topic, dead), 'claim:a-process-that-died', 'PX', 600);
    expect((await store.claim(tenantId, topic, dead)).kind).toBe('busy');
    await sleep(700);
    const takenOver = await store.claim(tenantId, topic, dead);
    expect(takenOver.kind).toBe('claimed');
    if (takenOver.kind === 'claimed') await takenOver.claim.release();
  });

  it('gets the stored reply, sealed at rest, from a responder that restarted after answering', async () => {
    const search = { ...Rpcs.retrievalSearch, name: uniqueName('test.restart') };
    await bus.ensureTopics([{ name: search.name, partitions: 1 }]);
    const requestId = randomUUID();
    const secret = `order ${randomUUID().slice(0, 8)}`;
    const first = await serveRpc(
      bus,
      search,
      async (req) => create(SearchResultSchema, { passages: [{ id: 'p1', title: `about ${req.query}`, text: secret, score: 1 }] }),
      quietLogger(),
    );
    const answered = await askUntilAnswered(search, 'refunds', requestId, 15_000);
    expect(answered.result.passages[0].text).toBe(secret);
    await first.disconnect();

    // The same group, a new process: it must answer the repeat without running the handler.
    const restarted = await connectTestBus(service);
    let runs = 0;
    try {
      await serveRpc(
        restarted.bus,
        search,
        async () => {
          runs += 1;
          return create(SearchResultSchema, { passages: [{ id: 'p2', title: 'a second run', text: 'different', score: 1 }] });
        },
        quietLogger(),
      );
      const again = await askUntilAnswered(search, 'refunds', requestId, 15_000);
      expect(again.attempts).toBe(1);
      expect(again.result.passages[0]).toMatchObject({ id: 'p1', text: secret });
      expect(runs).toBe(0);

      // A new request id is new work.
      const fresh = await askUntilAnswered(search, 'refunds', randomUUID(), 15_000);
      expect(fresh.result.passages[0].id).toBe('p2');
      expect(runs).toBe(1);

      const stored = await redis.get(RedisReplyStore.key(tenantId, search.name, requestId));
      expect(stored).toMatch(/^enc:v2:/);
      expect(stored).not.toContain(secret);
    } finally {
      await restarted.close();
    }
  });
});
