// A per-key message limit, stored with the key (real Postgres) and counted in Redis: a busy channel
// adapter's key gets its own allowance, other keys keep the default, and each customer keeps theirs.
import Redis from 'ioredis';
import type { DataSource } from 'typeorm';
import { openDatabase } from '@switchboard/persistence';
import { createTestDatabase, infra, quietLogger, uniqueName } from '@switchboard/testing';
import { ApiKeyRepository } from '../auth/api-key.repository';
import { ApiKeyService } from '../auth/api-key.service';
import { Tenants1732500000000 } from '../migrations/1732500000000-tenants';
import { ApiKeyRateLimit1784000000000 } from '../migrations/1784000000000-api-key-rate-limit';
import { RateLimitRepository } from './rate-limit.repository';
import { RateLimitService } from './rate-limit.service';

const DEFAULT_PER_KEY = 5;
const PER_CUSTOMER = 2;
/** The operator's ceiling on any key's own limit. */
const CEILING = 12;

describe('per-key rate limit', () => {
  let database: { url: string; drop: () => Promise<void> };
  let db: DataSource;
  let redis: Redis;
  let keys: ApiKeyService;
  let limits: RateLimitService;
  let tenantId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = await openDatabase(
      { url: database.url, schema: 'gateway', entities: [], migrations: [Tenants1732500000000, ApiKeyRateLimit1784000000000] },
      quietLogger(),
    );
    redis = new Redis(infra.redisUrl());
    keys = new ApiKeyService(new ApiKeyRepository(db));
    tenantId = uniqueName('tenant')
      .toLowerCase()
      .replace(/[^a-z0-9_-]/g, '');
    await new ApiKeyRepository(db).ensureTenant(tenantId, tenantId);
    limits = new RateLimitService(new RateLimitRepository(redis), {
      RATE_LIMIT_KEY_PER_MIN: DEFAULT_PER_KEY,
      RATE_LIMIT_KEY_MAX_PER_MIN: CEILING,
      RATE_LIMIT_USER_PER_MIN: 600,
      RATE_LIMIT_CUSTOMER_PER_MIN: PER_CUSTOMER,
      LOGIN_ATTEMPTS_PER_MIN: 10,
      LOGIN_FAILURES_PER_CLIENT_PER_MIN: 30,
      LOGIN_FAILURES_PER_TENANT_PER_MIN: 300,
    });
  });

  afterAll(async () => {
    redis?.disconnect();
    await db?.destroy();
    await database?.drop();
  });

  /** Sends `n` messages, each from a new customer; answers how many were admitted. */
  async function admitted(key: string, n: number): Promise<{ count: number; refusal?: string }> {
    const caller = await keys.authenticate(key);
    for (let i = 0; i < n; i += 1) {
      try {
        await limits.admitMessage(caller, `cust-${uniqueName('c')}`);
      } catch (error) {
        return { count: i, refusal: (error as Error).message };
      }
    }
    return { count: n };
  }

  it("never lets a key's own limit above the operator's ceiling", async () => {
    const greedy = await keys.addKey(tenantId, 'greedy channel', ['chat'], 1_000_000);
    expect(await admitted(greedy.key, CEILING + 3)).toEqual({
      count: CEILING,
      refusal: expect.stringContaining(`at most ${CEILING} requests per minute for this API key`),
    });
  });

  it('counts a key against its own limit when it has one, and against the default when it has none', async () => {
    const channel = await keys.addKey(tenantId, 'busy channel', ['chat'], 8);
    const plain = await keys.addKey(tenantId, 'small channel', ['chat']);
    expect(await admitted(channel.key, 9)).toEqual({
      count: 8,
      refusal: expect.stringContaining('at most 8 requests per minute for this API key'),
    });
    expect(await admitted(plain.key, 9)).toEqual({
      count: DEFAULT_PER_KEY,
      refusal: expect.stringContaining(`at most ${DEFAULT_PER_KEY} requests per minute for this API key`),
    });

    const listed = await new ApiKeyRepository(db).list(tenantId);
    expect(listed.map((k) => [k.name, k.requestsPerMinute])).toEqual(
      expect.arrayContaining([
        ['busy channel', 8],
        ['small channel', null],
      ]),
    );
  });

  it('takes a changed limit at once on this gateway, and null gives the default back', async () => {
    const issued = await keys.addKey(tenantId, 'growing channel', ['chat']);
    expect((await admitted(issued.key, 6)).count).toBe(DEFAULT_PER_KEY);
    expect(await keys.setRequestsPerMinute(tenantId, issued.id, 12)).toBe(true);
    expect((await admitted(issued.key, 10)).count).toBe(12 - DEFAULT_PER_KEY);
    expect(await keys.setRequestsPerMinute(tenantId, issued.id, null)).toBe(true);
    expect((await keys.authenticate(issued.key)).requestsPerMinute).toBeUndefined();
    expect(await keys.setRequestsPerMinute('another-tenant', issued.id, 50)).toBe(false);
  });

  it('keeps the per-customer limit under a generous key limit', async () => {
    const issued = await keys.addKey(tenantId, 'wide channel', ['chat'], 1000);
    const caller = await keys.authenticate(issued.key);
    const customer = `cust-${uniqueName('c')}`;
    for (let i = 0; i < PER_CUSTOMER; i += 1) await limits.admitMessage(caller, customer);
    await expect(limits.admitMessage(caller, customer)).rejects.toThrow(
      `at most ${PER_CUSTOMER} messages per minute for customer "${customer}"`,
    );
  });
});
