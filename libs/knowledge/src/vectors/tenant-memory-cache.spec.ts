import { TenantMemoryCache, type TenantCopy } from './tenant-memory-cache';
import { storedRecord } from './stored-record.fixture';
import { TenantMemoryIndex } from './tenant-memory-index';

function copyOf(rows: number): TenantMemoryIndex {
  return new TenantMemoryIndex(
    Array.from({ length: rows }, (_, i) => ({ record: storedRecord({ id: `r${i}` }), vector: Float32Array.from([1]) })),
    1,
  );
}

function deferred(): { promise: Promise<TenantCopy>; resolve: (copy: TenantCopy) => void } {
  let resolve!: (copy: TenantCopy) => void;
  const promise = new Promise<TenantCopy>((r) => (resolve = r));
  return { promise, resolve };
}

describe('TenantMemoryCache', () => {
  it('loads a tenant once per stamp (writes to it, or the table version in a reader)', async () => {
    const cache = new TenantMemoryCache({ tenantRows: 10, totalRows: 100 });
    const load = jest.fn(async () => copyOf(3));
    const first = await cache.get('c', 'a', 1, load);
    expect(await cache.get('c', 'a', 1, load)).toBe(first);
    expect(load).toHaveBeenCalledTimes(1);
    expect(load).toHaveBeenCalledWith(10);
    // Another tenant or collection has copies of its own.
    await cache.get('c', 'b', 1, load);
    await cache.get('other', 'a', 1, load);
    expect(await cache.get('c', 'a', 1, load)).toBe(first);
    expect(load).toHaveBeenCalledTimes(3);
    // The table moved on (a commit, here or in another process): loaded again.
    const second = await cache.get('c', 'a', 2, load);
    expect(second).not.toBe(first);
    expect(load).toHaveBeenCalledTimes(4);
    expect(cache.rows).toBe(9);
  });

  it('shares one load between searches that miss together', async () => {
    const cache = new TenantMemoryCache({ tenantRows: 10, totalRows: 100 });
    const pending = deferred();
    const load = jest.fn(() => pending.promise);
    const both = Promise.all([cache.get('c', 'a', 1, load), cache.get('c', 'a', 1, load)]);
    pending.resolve(copyOf(2));
    const [one, two] = await both;
    expect(one).toBe(two);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('keeps the newer stamp when an older load finishes last', async () => {
    const cache = new TenantMemoryCache({ tenantRows: 10, totalRows: 100 });
    const slow = deferred();
    const older = cache.get('c', 'a', 1, () => slow.promise);
    const newer = copyOf(2);
    expect(await cache.get('c', 'a', 2, async () => newer)).toBe(newer);
    slow.resolve(copyOf(1));
    await older;
    expect(await cache.get('c', 'a', 2, async () => copyOf(5))).toBe(newer);
    expect(cache.rows).toBe(2);
  });

  it('remembers a large tenant until the table changes, holding none of its rows', async () => {
    const cache = new TenantMemoryCache({ tenantRows: 10, totalRows: 100 });
    const load = jest.fn(async (): Promise<TenantCopy> => 'large');
    expect(await cache.get('c', 'big', 1, load)).toBe('large');
    expect(await cache.get('c', 'big', 1, load)).toBe('large');
    expect(load).toHaveBeenCalledTimes(1);
    expect(cache.rows).toBe(0);
    await cache.get('c', 'big', 2, load);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('drops the least recently searched copies beyond the total', async () => {
    const cache = new TenantMemoryCache({ tenantRows: 10, totalRows: 10 });
    const loads: string[] = [];
    const get = (tenant: string) =>
      cache.get('c', tenant, 1, async () => {
        loads.push(tenant);
        return copyOf(4);
      });
    await get('a');
    await get('b');
    await get('a'); // a is now the most recently used
    await get('c'); // 12 rows: b goes
    expect(cache.rows).toBe(8);
    await get('a');
    await get('b');
    expect(loads).toEqual(['a', 'b', 'c', 'b']);
  });

  it('forgets a failed load, so the next search tries again', async () => {
    const cache = new TenantMemoryCache({ tenantRows: 10, totalRows: 100 });
    await expect(cache.get('c', 'a', 1, () => Promise.reject(new Error('disk')))).rejects.toThrow('disk');
    const copy = copyOf(1);
    expect(await cache.get('c', 'a', 1, async () => copy)).toBe(copy);
  });
});
