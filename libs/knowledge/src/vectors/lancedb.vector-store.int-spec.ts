// The shared VectorStore contract against embedded LanceDB in fresh temporary directories: LanceDB
// needs no server, so this always runs. It runs three times, once per search path: small tenants in
// memory (the default), LanceDB's exact (flat) scan, and LanceDB with the ANN and filter indexes
// built from the first row, as large tables use.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LanceDbVectorStore, type LanceDbVectorStoreOptions } from './lancedb.vector-store';
import type { ChunkRecord, VectorQuery } from './vector-store';
import { storedRecord } from './stored-record.fixture';
import { VectorStoreInputError } from './vector-store.shared';
import { vectorStoreContract } from './vector-store.contract';

async function openInTempDir(options: LanceDbVectorStoreOptions): Promise<{ store: LanceDbVectorStore; dispose: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'switchboard-lancedb-'));
  return { store: await LanceDbVectorStore.open(dir, options), dispose: () => rm(dir, { recursive: true, force: true }) };
}

const LANCE_QUERIES = { memory: { tenantRows: 0 } };

vectorStoreContract('lancedb', () => openInTempDir({}));

describe('LanceDbVectorStore queries, flat', () => {
  vectorStoreContract('lancedb', () => openInTempDir(LANCE_QUERIES));
});

describe('LanceDbVectorStore queries with ANN indexes', () => {
  vectorStoreContract('lancedb', () => openInTempDir({ indexMinRows: 1, ...LANCE_QUERIES }));
});

describe('LanceDbVectorStore indexes', () => {
  let store: LanceDbVectorStore;
  let dispose: () => Promise<void>;

  beforeAll(async () => {
    ({ store, dispose } = await openInTempDir({ indexMinRows: 50, ...LANCE_QUERIES }));
  });

  afterAll(async () => {
    await store.close();
    await dispose();
  });

  function records(from: number, count: number): ChunkRecord[] {
    return Array.from({ length: count }, (_, i) => {
      const n = from + i;
      const vector = new Float32Array(8);
      vector[n % 8] = 1;
      vector[(n + 1) % 8] = 0.5;
      return {
        id: `r${n}`,
        tenantId: 't',
        knowledgeBaseId: 'kb',
        documentId: `d${n}`,
        documentVersion: 1,
        position: 0,
        text: '',
        title: '',
        keywords: `word${n % 5}`,
        language: 'en',
        accessLevel: 0,
        tags: [],
        product: '',
        validFrom: 0,
        validTo: 0,
        faqId: '',
        contentHash: '',
        vector: vector.map((x) => x / Math.hypot(1, 0.5)),
      };
    });
  }

  it('folds new rows into the full-text index on optimize, and builds the ANN and filter indexes only once the table is large enough', async () => {
    await store.ensureCollection('indexes', 8);
    await store.upsert('indexes', records(0, 20));
    let state = await store.inspect('indexes');
    expect(state.indexes.map((index) => index.columns[0])).toEqual(['keywords']);
    expect(state.indexes[0].unindexedRows).toBe(20);

    await store.optimize('indexes');
    state = await store.inspect('indexes');
    expect(state.indexes.map((index) => index.columns[0])).toEqual(['keywords']);
    expect(state.indexes[0].unindexedRows).toBe(0);

    await store.upsert('indexes', records(20, 40));
    await store.optimize('indexes');
    state = await store.inspect('indexes');
    expect(state.rows).toBe(60);
    expect(state.indexes.map((index) => index.columns[0]).sort()).toEqual([
      'accessLevel',
      'keywords',
      'knowledgeBaseId',
      'tenantId',
      'validFrom',
      'validTo',
      'vector',
    ]);
    expect(state.indexes.every((index) => index.unindexedRows === 0)).toBe(true);
  });

  it('sees new rows in dense search at once, and in keyword search after optimize', async () => {
    await store.upsert('indexes', [{ ...records(60, 1)[0], keywords: 'brandnew' }]);
    const filter = { tenantId: 't', knowledgeBaseIds: [], maxAccessLevel: 0, at: 0 };
    const [dense] = await store.search('indexes', { mode: 'dense', vector: records(60, 1)[0].vector, limit: 1, filter });
    expect(dense.score).toBeCloseTo(1, 5);
    expect(await store.search('indexes', { mode: 'keyword', keywords: 'brandnew', limit: 5, filter })).toEqual([]);
    await store.optimize('indexes');
    const keyword = await store.search('indexes', { mode: 'keyword', keywords: 'brandnew', limit: 5, filter });
    expect(keyword.map((hit) => hit.record.id)).toEqual(['r60']);
  });

  it('filters rows written after the filter indexes were built exactly, before optimize folds them in', async () => {
    const [row] = records(70, 1);
    await store.upsert('indexes', [
      { ...row, id: 'other-tenant', tenantId: 'u' },
      { ...row, id: 'restricted', accessLevel: 2 },
      { ...row, id: 'visible' },
    ]);
    const filter = { tenantId: 't', knowledgeBaseIds: ['kb'], maxAccessLevel: 0, at: 0 };
    const ids = (await store.search('indexes', { mode: 'dense', vector: row.vector, limit: 100, filter })).map((hit) => hit.record.id);
    expect(ids).toContain('visible');
    expect(ids).not.toContain('other-tenant');
    expect(ids).not.toContain('restricted');
  });
});

// The stall seen at ~100k benchmark chunks: on a host where LanceDB's CPU pool gets 1 thread (up to
// 3 cores), folding this many keyword-heavy rows into the full-text index never returned. Run in a
// plain Node process on the build output (the integration setup builds it): Jest hands each test
// file a copy of process.env that LanceDB's native code never reads, so the store's thread setting
// could not take effect in here. Hosts with more cores pass with or without the fix.
describe('LanceDbVectorStore bulk load', () => {
  const BULK_LOAD = `
    const { mkdtempSync, rmSync } = require('node:fs');
    const { tmpdir } = require('node:os');
    const path = require('node:path');
    const { LanceDbVectorStore } = require(process.argv[1]);
    (async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'switchboard-lancedb-bulk-'));
      // No ANN or filter indexes to build: the full-text fold is what stalled.
      const store = await LanceDbVectorStore.open(dir, { indexMinRows: Number.MAX_SAFE_INTEGER });
      await store.ensureCollection('bulk', 8);
      let seed = 1; // a linear congruential generator; its high bits pick one of 6000 words
      const word = () => 'w' + Math.floor(((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * 6000);
      const vector = new Float32Array(8).fill(Math.SQRT1_2 / 2);
      for (let start = 0; start < 50000; start += 2048) {
        const rows = [];
        for (let i = start; i < Math.min(start + 2048, 50000); i++) {
          rows.push({ id: 'r' + i, tenantId: 't', knowledgeBaseId: 'kb', documentId: 'd', documentVersion: 1, position: i, text: '', title: '',
            keywords: Array.from({ length: 140 }, word).join(' '), language: 'en', accessLevel: 0, tags: [], product: '',
            validFrom: 0, validTo: 0, faqId: '', contentHash: '', vector });
        }
        await store.upsert('bulk', rows);
      }
      await store.optimize('bulk');
      process.stdout.write(JSON.stringify(await store.inspect('bulk')));
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    })().catch((error) => { console.error(error); process.exit(1); });
  `;

  it('folds 50k rows of 140 keywords each into the full-text index without stalling', async () => {
    const env = { ...process.env };
    delete env.LANCE_CPU_THREADS; // the store must pick a safe value itself
    const child = spawn(process.execPath, ['-e', BULK_LOAD, path.resolve(__dirname, '..', '..', 'dist')], {
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const stalled = setTimeout(() => child.kill('SIGKILL'), 150_000);
    const exit = await new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    clearTimeout(stalled);
    expect(exit).toBe(0); // null: killed after 150 s, the stall
    const state = JSON.parse(output) as { rows: number; indexes: Array<{ columns: string[]; unindexedRows: number }> };
    expect(state.rows).toBe(50_000);
    expect(state.indexes.find((index) => index.columns.includes('keywords'))?.unindexedRows).toBe(0);
  }, 180_000);
});

describe('LanceDbVectorStore small tenants in memory', () => {
  // Two stores over the same records: one searching small tenants in memory, one always querying
  // LanceDB. Tenant "big" has more records than the memory limit and is queried in both.
  const DIM = 16;
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const words = Array.from({ length: 30 }, (_, i) => `w${i}`);
  const unitVector = () => {
    const v = Float32Array.from({ length: DIM }, () => random() - 0.5);
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  };
  const now = Date.UTC(2026, 11, 1);
  const make = (id: string, tenantId: string): ChunkRecord => ({
    id,
    tenantId,
    knowledgeBaseId: random() < 0.5 ? 'kb-1' : 'kb-2',
    documentId: `d-${id}`,
    documentVersion: 1,
    position: 0,
    text: `text ${id}`,
    title: `title ${id}`,
    keywords: Array.from({ length: 3 + Math.floor(random() * 8) }, () => words[Math.floor(random() * words.length)]).join(' '),
    language: 'en',
    accessLevel: Math.floor(random() * 3),
    tags: ['t'],
    product: '',
    validFrom: random() < 0.2 ? now + 1 : 0,
    validTo: random() < 0.2 ? now - 1 : 0,
    faqId: '',
    contentHash: `h-${id}`,
    vector: unitVector(),
  });
  const records = [
    ...Array.from({ length: 60 }, (_, i) => make(`a${i}`, 'small-a')),
    ...Array.from({ length: 40 }, (_, i) => make(`b${i}`, 'small-b')),
    ...Array.from({ length: 120 }, (_, i) => make(`g${i}`, 'big')),
  ];
  let memory: LanceDbVectorStore;
  let lance: LanceDbVectorStore;
  const disposers: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    for (const options of [{ memory: { tenantRows: 100 } }, LANCE_QUERIES]) {
      const opened = await openInTempDir(options);
      disposers.push(async () => {
        await opened.store.close();
        await opened.dispose();
      });
      await opened.store.ensureCollection('kb', DIM);
      await opened.store.upsert('kb', records);
      await opened.store.optimize('kb');
      if (options === LANCE_QUERIES) lance = opened.store;
      else memory = opened.store;
    }
  });

  afterAll(async () => {
    for (const dispose of disposers) await dispose();
  });

  const filters = ['small-a', 'small-b', 'big'].flatMap((tenantId) => [
    { tenantId, knowledgeBaseIds: [], maxAccessLevel: 2, at: 0 },
    { tenantId, knowledgeBaseIds: ['kb-2'], maxAccessLevel: 1, at: now },
    { tenantId, knowledgeBaseIds: ['kb-1', 'kb-2'], maxAccessLevel: 0, at: now },
  ]);

  it('finds what LanceDB finds: the same nearest records with the same scores, and the same keyword matches', async () => {
    for (const filter of filters) {
      for (let q = 0; q < 5; q += 1) {
        const query = { mode: 'dense' as const, vector: unitVector(), limit: 8, filter };
        const [mine, theirs] = await Promise.all([memory.search('kb', query), lance.search('kb', query)]);
        expect(mine.map((hit) => hit.record)).toEqual(theirs.map((hit) => hit.record));
        mine.forEach((hit, i) => expect(hit.score).toBeCloseTo(theirs[i].score, 5));

        const keywords = `${words[q]} ${words[q * 5 + 3]}`;
        const all = { mode: 'keyword' as const, keywords, limit: 1000, filter };
        const [mineAll, theirsAll] = await Promise.all([memory.search('kb', all), lance.search('kb', all)]);
        expect(new Set(mineAll.map((hit) => hit.record.id))).toEqual(new Set(theirsAll.map((hit) => hit.record.id)));
        expect(mineAll.map((hit) => hit.score)).toEqual([...mineAll.map((hit) => hit.score)].sort((a, b) => b - a));
      }
    }
  });

  it('sees a write as soon as it returns, keyword search included, and keeps large tenants on LanceDB', async () => {
    const filter = (tenantId: string) => ({ tenantId, knowledgeBaseIds: [], maxAccessLevel: 2, at: 0 });
    const fresh = { ...make('a-new', 'small-a'), keywords: 'brandnew', accessLevel: 0, validFrom: 0, validTo: 0 };
    // Searched once before the write, so a stale copy would be there to serve.
    expect(await memory.search('kb', { mode: 'keyword', keywords: 'brandnew', limit: 5, filter: filter('small-a') })).toEqual([]);
    await memory.upsert('kb', [fresh, { ...fresh, id: 'g-new', tenantId: 'big' }]);
    const hits = await memory.search('kb', { mode: 'keyword', keywords: 'brandnew', limit: 5, filter: filter('small-a') });
    expect(hits.map((hit) => hit.record.id)).toEqual(['a-new']);
    // The big tenant is queried in LanceDB, whose full-text index holds the row only after optimize().
    expect(await memory.search('kb', { mode: 'keyword', keywords: 'brandnew', limit: 5, filter: filter('big') })).toEqual([]);

    await memory.upsert('kb', [{ ...fresh, vector: unitVector() }]);
    const [moved] = await memory
      .search('kb', { mode: 'dense', vector: unitVector(), limit: 100, filter: filter('small-a') })
      .then((all) => all.filter((hit) => hit.record.id === 'a-new'));
    expect(moved).toBeDefined();

    await memory.delete('kb', { tenantId: 'small-a', documentId: fresh.documentId });
    expect(await memory.search('kb', { mode: 'keyword', keywords: 'brandnew', limit: 5, filter: filter('small-a') })).toEqual([]);
  });

  it("never reloads a tenant's copy for another tenant's writes: one tenant's ingestion costs the others nothing", async () => {
    const loads = jest.spyOn(memory as unknown as { tenantCopy: () => Promise<unknown> }, 'tenantCopy');
    const filter = { tenantId: 'small-a', knowledgeBaseIds: [], maxAccessLevel: 2, at: 0 };
    const search = () => memory.search('kb', { mode: 'dense', vector: unitVector(), limit: 3, filter });
    await search();
    loads.mockClear();
    for (let i = 0; i < 3; i += 1) await memory.upsert('kb', [make(`b-noise${i}`, 'small-b')]);
    await memory.optimize('kb');
    await search();
    expect(loads).not.toHaveBeenCalled();
    await memory.upsert('kb', [make('a-touch', 'small-a')]);
    await search();
    expect(loads).toHaveBeenCalledTimes(1);
    await memory.delete('kb', { tenantId: 'small-a', documentId: 'd-a-touch' });
    for (let i = 0; i < 3; i += 1) await memory.delete('kb', { tenantId: 'small-b', documentId: `d-b-noise${i}` });
    loads.mockRestore();
  });

  it('moves a tenant that grows past the limit to LanceDB, and back once it shrinks', async () => {
    const filter = { tenantId: 'small-b', knowledgeBaseIds: [], maxAccessLevel: 2, at: 0 };
    const grown = Array.from({ length: 70 }, (_, i) => ({ ...make(`b-more${i}`, 'small-b'), keywords: 'grown', accessLevel: 0 }));
    await memory.upsert('kb', grown);
    // 110 records now: LanceDB's full-text index has not folded the new ones in.
    expect(await memory.search('kb', { mode: 'keyword', keywords: 'grown', limit: 100, filter })).toEqual([]);
    await memory.delete('kb', { tenantId: 'small-b', knowledgeBaseId: 'kb-1' });
    await memory.delete('kb', { tenantId: 'small-b', knowledgeBaseId: 'kb-2' });
    await memory.upsert('kb', grown.slice(0, 3));
    const hits = await memory.search('kb', { mode: 'keyword', keywords: 'grown', limit: 100, filter });
    expect(hits.map((hit) => hit.record.id).sort()).toEqual(['b-more0', 'b-more1', 'b-more2']);
  });
});

describe('LanceDbVectorStore readers', () => {
  // One process writes the directory; others read it (the retrieval service's VECTOR_READER).
  let writer: LanceDbVectorStore;
  let reader: LanceDbVectorStore;
  let dir: string;
  const filter = { tenantId: 't', knowledgeBaseIds: [], maxAccessLevel: 0, at: 0 };
  const row = (id: string, keywords: string, at: number): ChunkRecord => {
    const vector = new Float32Array(8);
    vector[at] = 1;
    return { ...storedRecord({ id, keywords }), vector };
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'switchboard-lancedb-readers-'));
    writer = await LanceDbVectorStore.open(dir);
    await writer.ensureCollection('kb', 8);
    await writer.upsert('kb', [row('first', 'refund', 0)]);
    reader = await LanceDbVectorStore.open(dir, { readOnly: true });
  });

  afterAll(async () => {
    await reader.close();
    await writer.close();
    await rm(dir, { recursive: true, force: true });
  });

  const ids = async (store: LanceDbVectorStore, query: Omit<VectorQuery, 'filter' | 'limit'>) =>
    (await store.search('kb', { ...query, limit: 10, filter })).map((hit) => hit.record.id);

  it("sees each of the writer's commits on its next search, from its in-memory copy too", async () => {
    expect(await ids(reader, { mode: 'keyword', keywords: 'refund' })).toEqual(['first']);
    await writer.upsert('kb', [row('second', 'refund warranty', 1)]);
    expect(await ids(reader, { mode: 'keyword', keywords: 'warranty' })).toEqual(['second']);
    expect(await ids(reader, { mode: 'dense', vector: row('x', '', 1).vector })).toEqual(['second', 'first']);
    await writer.delete('kb', { tenantId: 't', documentId: 'd-first' });
    expect(await ids(reader, { mode: 'keyword', keywords: 'refund' })).toEqual(['second']);
  });

  it('refuses every write, naming why', async () => {
    const refused = /may not write it: another process is the writer/;
    await expect(reader.upsert('kb', [row('third', 'x', 2)])).rejects.toThrow(refused);
    await expect(reader.delete('kb', { tenantId: 't' })).rejects.toThrow(refused);
    await expect(reader.optimize('kb')).rejects.toThrow(refused);
    await expect(reader.ensureCollection('other', 8)).rejects.toThrow(refused);
    await expect(reader.upsert('kb', [row('third', 'x', 2)])).rejects.toBeInstanceOf(VectorStoreInputError);
    expect(await writer.count('kb', 't')).toBe(1);
  });
});
