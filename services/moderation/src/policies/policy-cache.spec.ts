import { Action, create, TenantPolicySchema, type TenantPolicy } from '@switchboard/contracts';
import { quietLogger } from '@switchboard/testing';
import { PolicyCache } from './policy-cache';
import type { PolicyRepository, StoredPolicy } from './policy.repository';

class FakeRepository {
  stored = new Map<string, StoredPolicy>();
  revisionLookups = 0;
  loads = 0;
  failing = false;

  put(tenantId: string, revision: number, words: string[]): void {
    const policy: TenantPolicy = create(TenantPolicySchema, {
      tenantId,
      wordLists: [{ name: 'l', category: 'c', action: Action.BLOCK, words }],
    });
    this.stored.set(tenantId, { revision, policy });
  }

  async revision(tenantId: string): Promise<number> {
    this.revisionLookups += 1;
    if (this.failing) throw new Error('database unavailable');
    return this.stored.get(tenantId)?.revision ?? 0;
  }

  async load(tenantId: string): Promise<StoredPolicy | undefined> {
    this.loads += 1;
    return this.stored.get(tenantId);
  }
}

describe('PolicyCache', () => {
  let repository: FakeRepository;
  let cache: PolicyCache;

  beforeEach(() => {
    jest.useFakeTimers({ now: 1_000_000 });
    repository = new FakeRepository();
    cache = new PolicyCache(repository as unknown as PolicyRepository, { POLICY_RELOAD_MS: 1000 }, quietLogger());
  });

  afterEach(() => jest.useRealTimers());

  it('looks up the revision at most once per interval and recompiles only when it changed', async () => {
    repository.put('a', 5, ['x']);
    const first = await cache.current('a');
    expect(first?.revision).toBe(5);
    await cache.current('a');
    expect(repository.revisionLookups).toBe(1);

    jest.advanceTimersByTime(1000);
    expect(await cache.current('a')).toBe(first);
    expect([repository.revisionLookups, repository.loads]).toEqual([2, 1]);

    repository.put('a', 6, ['y']);
    jest.advanceTimersByTime(999);
    expect((await cache.current('a'))?.revision).toBe(5);
    jest.advanceTimersByTime(1);
    expect((await cache.current('a'))?.revision).toBe(6);
  });

  it('looks again at once after invalidate (the replica that stored the change)', async () => {
    repository.put('a', 1, ['x']);
    await cache.current('a');
    repository.put('a', 2, ['y']);
    cache.invalidate('a');
    expect((await cache.current('a'))?.revision).toBe(2);
  });

  it('keeps tenants apart and knows a tenant without a policy', async () => {
    repository.put('a', 1, ['x']);
    expect(await cache.current('b')).toBeUndefined();
    expect((await cache.current('a'))?.revision).toBe(1);
  });

  it('shares one look-up between concurrent checks', async () => {
    repository.put('a', 1, ['x']);
    await Promise.all([cache.current('a'), cache.current('a'), cache.current('a')]);
    expect([repository.revisionLookups, repository.loads]).toEqual([1, 1]);
  });

  it('keeps a loaded policy when the database fails, and fails the first look-up', async () => {
    repository.put('a', 1, ['x']);
    await cache.current('a');
    repository.failing = true;
    jest.advanceTimersByTime(1000);
    expect((await cache.current('a'))?.revision).toBe(1);
    await expect(cache.current('b')).rejects.toThrow('database unavailable');
  });
});
