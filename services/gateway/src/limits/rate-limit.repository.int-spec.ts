// The sliding window against the real Redis: all-or-nothing across windows, and when a slot frees.
import Redis from 'ioredis';
import { infra, uniqueName } from '@switchboard/testing';
import { RateLimitRepository } from './rate-limit.repository';

describe('RateLimitRepository', () => {
  const redis = new Redis(infra.redisUrl());
  const repository = new RateLimitRepository(redis);
  afterAll(() => redis.disconnect());

  it('admits up to the limit within the window, then says when the oldest slot frees', async () => {
    const key = `t:${uniqueName('rl')}:rl:key:k`;
    const t0 = Date.now();
    for (let i = 0; i < 3; i++) expect(await repository.take([{ key, limit: 3 }], 60_000, t0 + i * 1000)).toMatchObject({ admitted: true });
    expect(await repository.take([{ key, limit: 3 }], 60_000, t0 + 10_000)).toEqual({
      admitted: false,
      refusedBy: 0,
      retryAfterMs: 50_000,
    });
    // The first admission has left the window.
    expect(await repository.take([{ key, limit: 3 }], 60_000, t0 + 60_001)).toMatchObject({ admitted: true });
    expect(await redis.pttl(key)).toBeGreaterThan(0);
  });

  it('records a request in every window or in none', async () => {
    const a = `t:${uniqueName('rl')}:rl:key:k`;
    const b = `t:${uniqueName('rl')}:rl:customer:c`;
    expect(
      await repository.take(
        [
          { key: a, limit: 5 },
          { key: b, limit: 1 },
        ],
        60_000,
      ),
    ).toMatchObject({ admitted: true });
    expect(
      await repository.take(
        [
          { key: a, limit: 5 },
          { key: b, limit: 1 },
        ],
        60_000,
      ),
    ).toMatchObject({ admitted: false, refusedBy: 1 });
    expect(await redis.zcard(a)).toBe(1);
    expect(await redis.zcard(b)).toBe(1);
  });

  it('gives an admitted request back out of the windows named, and only those', async () => {
    const attempts = `t:${uniqueName('rl')}:rl:sign-in:u:c`;
    const failures = `t:${uniqueName('rl')}:rl:sign-in-client:c`;
    const admission = await repository.take(
      [
        { key: attempts, limit: 5 },
        { key: failures, limit: 1 },
      ],
      60_000,
    );
    if (!admission.admitted) throw new Error('the first attempt must be admitted');
    await repository.giveBack([failures], admission.member);
    expect([await redis.zcard(attempts), await redis.zcard(failures)]).toEqual([1, 0]);
    // The slot it held is free again.
    expect(
      await repository.take(
        [
          { key: attempts, limit: 5 },
          { key: failures, limit: 1 },
        ],
        60_000,
      ),
    ).toMatchObject({ admitted: true });
  });
});
