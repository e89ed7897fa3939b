// The dedupe store on the real Redis: a message counts as taking its consumer down only when it was
// begun by several processes, never by one process getting it again after rebalances.
import Redis from 'ioredis';
import { infra, uniqueName } from '@switchboard/testing';
import { dedupeKey, RedisDedupeStore } from './dedupe-store';

describe('the dedupe store', () => {
  const redis = new Redis(infra.redisUrl());
  const store = new RedisDedupeStore(redis, 60);
  afterAll(() => redis.disconnect());

  it('counts the processes that began a message, not its deliveries, and forgets them when it is finished', async () => {
    const key = dedupeKey(uniqueName('tenant'), 'g', uniqueName('m'));
    // One process handed the message four times (a broker outage, rebalance after rebalance).
    for (let i = 0; i < 4; i += 1) expect(await store.started(key, 'process-a')).toBe(1);
    expect(await store.started(key, 'process-b')).toBe(2);
    expect(await store.started(key, 'process-a')).toBe(2);
    expect(await redis.ttl(`${key}:starters`)).toBeGreaterThan(0);
    await store.finished(key);
    expect(await store.started(key, 'process-c')).toBe(1);
  });

  it('remembers a handled message until its time is up', async () => {
    const key = dedupeKey(uniqueName('tenant'), 'g', uniqueName('m'));
    expect(await store.seen(key)).toBe(false);
    await store.remember(key);
    expect(await store.seen(key)).toBe(true);
  });
});
