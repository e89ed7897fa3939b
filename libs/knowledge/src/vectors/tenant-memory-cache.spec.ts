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
  it('loads a tenant once and serves the copy until a write to that tenant', async () => {
    const cache = new TenantMemoryCache({ tenantRows: 10, totalRows: 100 });
    const load = jest.fn(async () => copyOf(3));
    const first = await cache.get('c', 'a', load);
    expect(await cache.get('c', 'a', load)).toBe(first);
    expect(load).toHaveBeenCalledTimes(1);
    expect(load).toHaveBeenCalledWith(10);

    cache.changed('c', ['b']);
    cache.changed('other', ['a']);
    expect(await cache.get('c', 'a', load)).toBe(first);
    cache.changed('c', ['a']);
    expect(await cache.get('c', 'a', load)).not.toBe(first);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('shares one load between searches that miss together', async () => {
    const cache = new TenantMemoryCache({ tenantRows: 10, totalRows: 100 });
    const pending = deferred();
    const load = jest.fn(() => pending.promise);
    const both = Promise.all([cache.get('c', 'a', load), cache.get('c', 'a', load)]);
    pending.resolve(copyOf(2));
    const [one, two] = await both;
    expect(one).toBe(two);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('never keeps a copy loaded while a write was under way', async () => {
    const cache = new TenantMemoryCache({ tenantRows: 10, totalRows: 100 });
    const pending = deferred();
    const racing = cache.get('c', 'a', () => pending.promise);
    cache.changed('c', ['a']); // the write finishes while the load is reading
    const before = copyOf(1);
    pending.resolve(before);
    expect(await racing).toBe(before); // the racing search may use it, as if it ran before the write
    const after = copyOf(2);
    expect(await cache.get('c', 'a', async () => after)).toBe(after);
    expect(cache.rows).toBe(2);
  });

  it('remembers a large tenant until it is written to, holding none of its rows', async () => {
    const cache = new TenantMemoryCache({ tenantRows: 10, totalRows: 100 });
    const load = jest.fn(async (): Promise<TenantCopy> => 'large');
    expect(await cache.get('c', 'big', load)).toBe('large');
    expect(await cache.get('c', 'big', load)).toBe('large');
    expect(load).toHaveBeenCalledTimes(1);
    expect(cache.rows).toBe(0);
    cache.changed('c', ['big']);
    await cache.get('c', 'big', load);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('drops the least recently searched copies beyond the total', async () => {
    const cache = new TenantMemoryCache({ tenantRows: 10, totalRows: 10 });
    const loads: string[] = [];
    const get = (tenant: string) =>
      cache.get('c', tenant, async () => {
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
    await expect(cache.get('c', 'a', () => Promise.reject(new Error('disk')))).rejects.toThrow('disk');
    const copy = copyOf(1);
    expect(await cache.get('c', 'a', async () => copy)).toBe(copy);
  });
});
