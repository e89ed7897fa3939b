// The dedupe store on the real Redis: a message counts as taking its consumer down only when it was
// begun by several processes, never by one process getting it again after rebalances.
import Redis from 'ioredis';
import { infra, uniqueName } from '@switchboard/testing';
import { dedupeKey, RedisDedupeStore } from './dedupe-store';

describe('the dedupe store', () => {
  const redis = new Redis(infra.redisUrl());
  const store = new RedisDedupeStore(redis, 60);
  afterAll(() => redis.disconnect());

  const starts = async (key: string, starter: string, skipHandled = true) => {
    const beginning = await store.begin(key, starter, skipHandled);
    return beginning.handled ? 'handled' : beginning.starts;
  };

  it('counts the processes that began a message, not its deliveries, and forgets them when it ends', async () => {
    const key = dedupeKey(uniqueName('tenant'), 'g', uniqueName('m'));
    // One process handed the message four times (a broker outage, rebalance after rebalance).
    for (let i = 0; i < 4; i += 1) expect(await starts(key, 'process-a')).toBe(1);
    expect(await starts(key, 'process-b')).toBe(2);
    expect(await starts(key, 'process-a')).toBe(2);
    expect(await redis.ttl(`${key}:starters`)).toBeGreaterThan(0);
    await store.end(key, false);
    expect(await redis.exists(`${key}:starters`)).toBe(0);
    expect(await starts(key, 'process-c')).toBe(1);
  });

  it('remembers a handled message until its time is up, and does not count a start of it again', async () => {
    const key = dedupeKey(uniqueName('tenant'), 'g', uniqueName('m'));
    expect(await starts(key, 'process-a')).toBe(1);
    await store.end(key, true);
    expect(await redis.ttl(key)).toBeGreaterThan(0);
    expect(await starts(key, 'process-b')).toBe('handled');
    expect(await redis.exists(`${key}:starters`)).toBe(0);
    // Request-reply asks again under the same id and is answered again: it does not skip.
    expect(await starts(key, 'process-b', false)).toBe(1);
  });

  it('does not remember a message that ended without being handled (a dead letter)', async () => {
    const key = dedupeKey(uniqueName('tenant'), 'g', uniqueName('m'));
    await starts(key, 'process-a');
    await store.end(key, false);
    expect(await starts(key, 'process-a')).toBe(1);
  });
});
