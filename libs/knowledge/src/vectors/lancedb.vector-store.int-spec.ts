// The shared VectorStore contract against embedded LanceDB in fresh temporary directories: LanceDB
// needs no server, so this always runs. It runs twice: with exact (flat) vector search, as small
// tables use, and with the ANN index built from the first row, as large tables use, so both
// query paths must satisfy the same contract.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LanceDbVectorStore, type LanceDbVectorStoreOptions } from './lancedb.vector-store';
import type { ChunkRecord } from './vector-store';
import { vectorStoreContract } from './vector-store.contract';

async function openInTempDir(options: LanceDbVectorStoreOptions): Promise<{ store: LanceDbVectorStore; dispose: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'switchboard-lancedb-'));
  return { store: await LanceDbVectorStore.open(dir, options), dispose: () => rm(dir, { recursive: true, force: true }) };
}

vectorStoreContract('lancedb', () => openInTempDir({}));

describe('LanceDbVectorStore with ANN indexes', () => {
  vectorStoreContract('lancedb', () => openInTempDir({ annIndexMinRows: 1 }));
});

describe('LanceDbVectorStore indexes', () => {
  let store: LanceDbVectorStore;
  let dispose: () => Promise<void>;

  beforeAll(async () => {
    ({ store, dispose } = await openInTempDir({ annIndexMinRows: 50 }));
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
        id: `r${n}`, tenantId: 't', knowledgeBaseId: 'kb', documentId: `d${n}`, documentVersion: 1, position: 0,
        text: '', title: '', keywords: `word${n % 5}`, language: 'en', accessLevel: 0, tags: [], product: '',
        validFrom: 0, validTo: 0, faqId: '', contentHash: '', vector: vector.map((x) => x / Math.hypot(1, 0.5)),
      };
    });
  }

  it('folds new rows into the full-text index on optimize, and builds the ANN index only once the table is large enough', async () => {
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
    expect(state.indexes.map((index) => index.columns[0]).sort()).toEqual(['keywords', 'vector']);
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
});
