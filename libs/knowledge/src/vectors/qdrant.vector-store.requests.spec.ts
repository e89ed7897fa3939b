// The Qdrant store's requests and its reading of the answers, without a Qdrant server: a local HTTP
// endpoint records every request the REST client sends and answers with responses shaped as in
// Qdrant's API reference (https://api.qdrant.tech: GET /, GET /collections/{name},
// GET /collections/{name}/exists, POST …/points/query, PUT …/points, POST …/points/delete,
// POST …/points/count; every answer wrapped in { result, status: "ok", time }). The behaviour
// against a real Qdrant is the shared contract (qdrant.vector-store.int-spec.ts, with QDRANT_URL).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pointId, QdrantVectorStore, sparseVector } from './qdrant.vector-store';
import type { ChunkRecord, StoredRecord } from './vector-store';
import { VectorStoreConfigError, VectorStoreInputError } from './vector-store.shared';

interface Recorded {
  method: string;
  path: string;
  body: unknown;
}

const ok = (result: unknown) => ({ result, status: 'ok', time: 0.000_21 });

/** GET /collections/{name} for a collection made by this store (API reference: CollectionInfo). */
const collectionInfo = (size: number) =>
  ok({
    status: 'green',
    optimizer_status: 'ok',
    indexed_vectors_count: 0,
    points_count: 2,
    segments_count: 2,
    config: {
      params: {
        vectors: { dense: { size, distance: 'Cosine' } },
        shard_number: 1,
        replication_factor: 1,
        write_consistency_factor: 1,
        on_disk_payload: true,
        sparse_vectors: { keywords: { modifier: 'idf' } },
      },
      hnsw_config: { m: 0, ef_construct: 100, full_scan_threshold: 10000, max_indexing_threads: 0, on_disk: false, payload_m: 16 },
      optimizer_config: {
        deleted_threshold: 0.2,
        vacuum_min_vector_number: 1000,
        default_segment_number: 0,
        max_segment_size: null,
        memmap_threshold: null,
        indexing_threshold: 20000,
        flush_interval_sec: 5,
        max_optimization_threads: null,
      },
      wal_config: { wal_capacity_mb: 32, wal_segments_ahead: 0 },
      quantization_config: null,
    },
    payload_schema: { tenantId: { data_type: 'keyword', params: { type: 'keyword', is_tenant: true }, points: 2 } },
  });

const STORED: StoredRecord = {
  id: 'doc-1#0',
  tenantId: 'tenant-a',
  knowledgeBaseId: 'policies',
  documentId: 'doc-1',
  documentVersion: 3,
  position: 0,
  text: 'Refunds take 5 days.',
  title: 'Refunds',
  keywords: 'refund day',
  language: 'en',
  accessLevel: 0,
  tags: ['billing'],
  product: '',
  validFrom: 0,
  validTo: 0,
  faqId: '',
  contentHash: 'h1',
};

let server: Server;
let url: string;
let requests: Recorded[] = [];
let version = '1.12.4';
let queryAnswer: unknown = ok({ points: [] });

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => {
      raw += chunk;
    });
    req.on('end', () => {
      const path = req.url ?? '';
      requests.push({ method: req.method ?? '', path, body: raw ? JSON.parse(raw) : undefined });
      const answer = (status: number, body: unknown) =>
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (path === '/')
        return answer(200, { title: 'qdrant - vector search engine', version, commit: '48203e414e4e7f639a6d394fb6e4df695f808e51' });
      if (/^\/collections\/missing(\/|$)/.test(path))
        return answer(404, { status: { error: "Not found: Collection `missing` doesn't exist!" }, time: 0.0001 });
      if (/^\/collections\/kb_[a-z0-9_]+$/.test(path) && req.method === 'GET') return answer(200, collectionInfo(4));
      if (path.endsWith('/points/query')) return answer(200, queryAnswer);
      if (path.includes('/points/count')) return answer(200, ok({ count: 2 }));
      if (path.includes('/points')) return answer(200, ok({ operation_id: 42, status: 'completed' }));
      return answer(404, { status: { error: `no route ${req.method} ${path}` }, time: 0 });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));
beforeEach(() => {
  requests = [];
  version = '1.12.4';
  queryAnswer = ok({ points: [] });
});

const filter = { tenantId: 'tenant-a', knowledgeBaseIds: ['policies'], maxAccessLevel: 10, at: 1_700_000_000_000 };
const qdrantFilter = {
  must: [
    { key: 'tenantId', match: { value: 'tenant-a' } },
    { key: 'knowledgeBaseId', match: { any: ['policies'] } },
    { key: 'accessLevel', range: { lte: 10 } },
    { key: 'validFrom', range: { lte: 1_700_000_000_000 } },
    {
      should: [
        { key: 'validTo', match: { value: 0 } },
        { key: 'validTo', range: { gte: 1_700_000_000_000 } },
      ],
    },
  ],
};
const sent = (suffix: string) => requests.filter((r) => r.path.split('?')[0].endsWith(suffix));

describe('connecting', () => {
  it('reads the server version from GET / and refuses one older than 1.10', async () => {
    await expect(QdrantVectorStore.connect({ url })).resolves.toBeInstanceOf(QdrantVectorStore);
    version = '1.9.7';
    await expect(QdrantVectorStore.connect({ url })).rejects.toThrow(VectorStoreConfigError);
    await expect(QdrantVectorStore.connect({ url })).rejects.toThrow(/1\.9\.7; Switchboard needs 1\.10 or later/);
  });
});

describe('searching', () => {
  it('sends a dense query on the "dense" vector with the tenant filter first, and reads scored points back', async () => {
    const store = await QdrantVectorStore.connect({ url });
    queryAnswer = ok({ points: [{ id: pointId(STORED.id), version: 7, score: 0.8734, payload: { ...STORED } }] });

    const hits = await store.search('kb_en', { mode: 'dense', vector: new Float32Array([1, 0, 0, 0]), limit: 5, filter });

    expect(sent('/collections/kb_en')).toHaveLength(1); // the dimension, read once
    expect(sent('/points/query')).toEqual([
      {
        method: 'POST',
        path: '/collections/kb_en/points/query',
        body: { query: [1, 0, 0, 0], using: 'dense', filter: qdrantFilter, limit: 5, with_payload: true },
      },
    ]);
    expect(hits).toEqual([{ record: STORED, score: 0.8734 }]);
  });

  it('sends a keyword query as a sparse vector on "keywords", one per unique token', async () => {
    const store = await QdrantVectorStore.connect({ url });
    await store.search('kb_en', { mode: 'keyword', keywords: 'refund refund day', limit: 3, filter });
    const [query] = sent('/points/query');
    expect(query.body).toEqual({
      query: sparseVector(['refund', 'day'], 'query'),
      using: 'keywords',
      filter: qdrantFilter,
      limit: 3,
      with_payload: true,
    });
    expect((query.body as { query: { values: number[] } }).query.values).toEqual([1, 1]);
  });

  it('sends nothing for a keyword query without tokens, and refuses a malformed answer', async () => {
    const store = await QdrantVectorStore.connect({ url });
    expect(await store.search('kb_en', { mode: 'keyword', keywords: '  ', limit: 3, filter })).toEqual([]);
    expect(sent('/points/query')).toEqual([]);
    queryAnswer = ok({ points: [{ id: pointId(STORED.id), version: 7, score: 0.5, payload: { ...STORED, accessLevel: '0' } }] });
    await expect(store.search('kb_en', { mode: 'dense', vector: new Float32Array([0, 1, 0, 0]), limit: 1, filter })).rejects.toThrow(
      /accessLevel/,
    );
  });

  it('names a collection that does not exist (404) instead of passing the error on', async () => {
    const store = await QdrantVectorStore.connect({ url });
    await expect(store.search('missing', { mode: 'dense', vector: new Float32Array([1, 0, 0, 0]), limit: 1, filter })).rejects.toThrow(
      VectorStoreInputError,
    );
    await expect(store.search('missing', { mode: 'dense', vector: new Float32Array([1, 0, 0, 0]), limit: 1, filter })).rejects.toThrow(
      /collection missing does not exist/,
    );
  });
});

describe('writing', () => {
  it('upserts points keyed by UUID with both named vectors and the record as payload, waiting for the write', async () => {
    const store = await QdrantVectorStore.connect({ url });
    const record: ChunkRecord = { ...STORED, vector: new Float32Array([0.5, 0.5, 0.5, 0.5]) };
    await store.upsert('kb_en', [record, { ...record, id: 'doc-1#1', keywords: '', position: 1 }]);
    expect(sent('/points')).toEqual([
      {
        method: 'PUT',
        path: '/collections/kb_en/points?wait=true',
        body: {
          points: [
            {
              id: pointId('doc-1#0'),
              vector: { dense: [0.5, 0.5, 0.5, 0.5], keywords: sparseVector(['refund', 'day'], 'document') },
              payload: { ...STORED },
            },
            // No keywords, no sparse vector: Qdrant allows a named vector to be absent.
            {
              id: pointId('doc-1#1'),
              vector: { dense: [0.5, 0.5, 0.5, 0.5] },
              payload: { ...STORED, id: 'doc-1#1', keywords: '', position: 1 },
            },
          ],
        },
      },
    ]);
  });

  it('deletes by a tenant-scoped filter, keeping the live version', async () => {
    const store = await QdrantVectorStore.connect({ url });
    await store.delete('kb_en', { tenantId: 'tenant-a', knowledgeBaseId: 'policies', documentId: 'doc-1', exceptDocumentVersion: 3 });
    expect(sent('/points/delete')).toEqual([
      {
        method: 'POST',
        path: '/collections/kb_en/points/delete?wait=true',
        body: {
          filter: {
            must: [
              { key: 'tenantId', match: { value: 'tenant-a' } },
              { key: 'knowledgeBaseId', match: { value: 'policies' } },
              { key: 'documentId', match: { value: 'doc-1' } },
            ],
            must_not: [{ key: 'documentVersion', match: { value: 3 } }],
          },
        },
      },
    ]);
  });

  it('counts one tenant exactly', async () => {
    const store = await QdrantVectorStore.connect({ url });
    await expect(store.count('kb_en', 'tenant-a')).resolves.toBe(2);
    expect(sent('/points/count')[0].body).toEqual({ filter: { must: [{ key: 'tenantId', match: { value: 'tenant-a' } }] }, exact: true });
  });
});
