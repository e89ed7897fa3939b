// The behaviour every VectorStore must share, as one Jest suite run against each backend
// (lancedb.vector-store.int-spec.ts, qdrant.vector-store.int-spec.ts). Vectors are small
// synthetic unit vectors in 8 dimensions, so every expected order and score is exact.
//
// Writes are followed by optimize(), as the interface asks of callers: LanceDB folds rows into its
// full-text index there; Qdrant treats it as a no-op.
import type { ChunkRecord, SearchFilter, StoredRecord, VectorHit, VectorQuery, VectorStore } from './vector-store';
import { VectorStoreInputError } from './vector-store.shared';

export interface VectorStoreHarness {
  store: VectorStore;
  /** Removes a collection the suite made (a shared server outlives the run); optional. */
  dropCollection?(collection: string): Promise<void>;
  /** Releases whatever the factory made (temp directories, clients). */
  dispose?(): Promise<void>;
}

const DIM = 8;

/** e_i: the i-th standard basis vector. */
function unit(i: number): Float32Array {
  const v = new Float32Array(DIM);
  v[i] = 1;
  return v;
}

/** The L2-normalised weighted sum of basis vectors, e.g. mix([0, 1], [1, 0.5]). */
function mix(...parts: Array<[index: number, weight: number]>): Float32Array {
  const v = new Float32Array(DIM);
  for (const [i, w] of parts) v[i] += w;
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

let sequence = 0;

function record(overrides: Partial<ChunkRecord> & Pick<ChunkRecord, 'id'>): ChunkRecord {
  return {
    tenantId: 'tenant-a',
    knowledgeBaseId: 'kb-1',
    documentId: `doc-${overrides.id}`,
    documentVersion: 1,
    position: sequence++,
    text: `text of ${overrides.id}`,
    title: `Policy > ${overrides.id}`,
    keywords: 'filler',
    language: 'en',
    accessLevel: 0,
    tags: [],
    product: '',
    validFrom: 0,
    validTo: 0,
    faqId: '',
    contentHash: `hash-${overrides.id}`,
    vector: unit(7),
    ...overrides,
  };
}

function filter(overrides: Partial<SearchFilter> = {}): SearchFilter {
  return { tenantId: 'tenant-a', knowledgeBaseIds: [], maxAccessLevel: 0, at: 0, ...overrides };
}

function ids(hits: VectorHit[]): string[] {
  return hits.map((hit) => hit.record.id);
}

export function vectorStoreContract(backend: string, makeHarness: () => Promise<VectorStoreHarness>): void {
  describe(`VectorStore contract: ${backend}`, () => {
    let harness: VectorStoreHarness;
    let store: VectorStore;
    const made: string[] = [];
    // Unique per run so a shared Qdrant server never mixes runs.
    const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

    beforeAll(async () => {
      harness = await makeHarness();
      store = harness.store;
    });

    afterAll(async () => {
      if (!harness) return;
      for (const collection of made) await harness.dropCollection?.(collection).catch(() => undefined);
      await store.close();
      await harness.dispose?.();
    });

    /** A fresh collection holding `records`, written and optimized. */
    async function collectionWith(name: string, records: ChunkRecord[]): Promise<string> {
      const collection = `contract-${run}-${name}`;
      made.push(collection);
      await store.ensureCollection(collection, DIM);
      await write(collection, records);
      return collection;
    }

    async function write(collection: string, records: ChunkRecord[]): Promise<void> {
      await store.upsert(collection, records);
      await store.optimize(collection);
    }

    function search(collection: string, query: Partial<VectorQuery> & Pick<VectorQuery, 'mode'>): Promise<VectorHit[]> {
      return store.search(collection, { limit: 10, filter: filter(), ...query });
    }

    it('names its backend', () => {
      expect(store.backend).toBe(backend);
    });

    describe('dense search', () => {
      it('ranks the nearest vector first, scored by cosine similarity', async () => {
        const c = await collectionWith('dense', [
          record({ id: 'far', vector: unit(1) }),
          record({ id: 'near', vector: mix([0, 1], [1, 0.5]) }),
          record({ id: 'exact', vector: unit(0) }),
          record({ id: 'opposite', vector: mix([0, -1], [2, 0.1]) }),
        ]);
        const hits = await search(c, { mode: 'dense', vector: unit(0), limit: 3 });
        expect(ids(hits)).toEqual(['exact', 'near', 'far']);
        expect(hits[0].score).toBeCloseTo(1, 5);
        expect(hits[1].score).toBeCloseTo(1 / Math.sqrt(1.25), 5);
        expect(hits[2].score).toBeCloseTo(0, 5);
      });

      it('returns every stored field as written, without the vector', async () => {
        const full = record({
          id: 'full',
          knowledgeBaseId: 'kb-9',
          documentId: 'doc-9',
          documentVersion: 3,
          position: 4,
          text: 'Orders can be cancelled while "pending".',
          title: 'Retail policy > Cancel pending order',
          keywords: 'order cancel pend 取消 消订',
          language: 'zh',
          accessLevel: 2,
          tags: ['orders', 'faq'],
          product: 'shoes',
          validFrom: 1_700_000_000_000,
          validTo: 1_900_000_000_000,
          faqId: 'faq-1',
          contentHash: 'sha256:abc',
          vector: unit(3),
        });
        const c = await collectionWith('roundtrip', [full]);
        const [hit] = await search(c, { mode: 'dense', vector: unit(3), filter: filter({ maxAccessLevel: 2 }) });
        const { vector: _vector, ...stored } = full;
        expect(hit.record).toEqual<StoredRecord>(stored);
        expect(hit.record).not.toHaveProperty('vector');
      });
    });

    describe('keyword search', () => {
      // Keywords are tokenizer output: stems, CJK bigrams. Only "serial" is rare here.
      const records = [
        record({ id: 'refund-1', keywords: 'refund order polici' }),
        record({ id: 'refund-2', keywords: 'refund order cancel' }),
        record({ id: 'refund-3', keywords: 'refund deliv' }),
        record({ id: 'serial', keywords: 'warranti claim serial number' }),
        record({ id: 'cjk', keywords: '退货 货政 政策 refund' }),
        record({ id: 'stem', keywords: 'running Shipping the' }),
      ];
      let c: string;
      beforeAll(async () => {
        c = await collectionWith('keyword', records);
      });

      it('ranks the record sharing a rare keyword first, and returns only records that match', async () => {
        const hits = await search(c, { mode: 'keyword', keywords: 'serial refund' });
        expect(ids(hits)[0]).toBe('serial');
        expect(new Set(ids(hits))).toEqual(new Set(['serial', 'refund-1', 'refund-2', 'refund-3', 'cjk']));
        expect(hits.every((hit) => hit.score > 0)).toBe(true);
        expect(hits.map((hit) => hit.score)).toEqual([...hits.map((hit) => hit.score)].sort((a, b) => b - a));
      });

      it('matches CJK bigram tokens as whole tokens', async () => {
        expect(ids(await search(c, { mode: 'keyword', keywords: '货政' }))).toEqual(['cjk']);
        expect(ids(await search(c, { mode: 'keyword', keywords: '退货 不存' }))).toEqual(['cjk']);
        // A single character is a different token from the bigrams that contain it.
        expect(await search(c, { mode: 'keyword', keywords: '货' })).toEqual([]);
      });

      it('does not stem, lowercase or drop stop words again', async () => {
        expect(await search(c, { mode: 'keyword', keywords: 'run' })).toEqual([]);
        expect(await search(c, { mode: 'keyword', keywords: 'shipping' })).toEqual([]);
        expect(ids(await search(c, { mode: 'keyword', keywords: 'Shipping' }))).toEqual(['stem']);
        expect(ids(await search(c, { mode: 'keyword', keywords: 'the' }))).toEqual(['stem']);
      });

      it('treats query text as terms, never as query syntax', async () => {
        expect(await search(c, { mode: 'keyword', keywords: 'refund" OR "serial' })).toEqual([]);
        expect(await search(c, { mode: 'keyword', keywords: '*' })).toEqual([]);
      });

      it('returns nothing for a query without keywords', async () => {
        expect(await search(c, { mode: 'keyword', keywords: '   ' })).toEqual([]);
      });
    });

    describe('modes', () => {
      it('requires the parts its mode needs, and runs no hybrid mode of its own (KnowledgeSearcher fuses)', async () => {
        const c = await collectionWith('modes', [record({ id: 'only', vector: unit(0), keywords: 'alpha' })]);
        await expect(search(c, { mode: 'dense' })).rejects.toThrow(VectorStoreInputError);
        await expect(search(c, { mode: 'keyword' })).rejects.toThrow(VectorStoreInputError);
        await expect(search(c, { mode: 'hybrid' as 'dense', vector: unit(0), keywords: 'alpha' })).rejects.toThrow(
          /query.mode must be dense or keyword/,
        );
      });
    });

    describe('filters', () => {
      it('never shows one tenant another tenant’s records, whatever the query', async () => {
        const c = await collectionWith('tenants', [
          record({ id: 'a-1', tenantId: 'tenant-a', vector: unit(0), keywords: 'secret refund' }),
          record({ id: 'a-2', tenantId: 'tenant-a', vector: unit(1), keywords: 'secret' }),
          record({ id: 'b-1', tenantId: 'tenant-b', vector: unit(5), keywords: 'public' }),
        ]);
        const asB = filter({ tenantId: 'tenant-b' });
        for (const query of [
          { mode: 'dense', vector: unit(0) },
          { mode: 'keyword', keywords: 'secret refund' },
        ] as const) {
          const hits = await search(c, { ...query, filter: asB, limit: 100 });
          expect(hits.every((hit) => hit.record.tenantId === 'tenant-b')).toBe(true);
          expect(ids(hits)).not.toContain('a-1');
        }
        expect(ids(await search(c, { mode: 'dense', vector: unit(0), filter: asB }))).toEqual(['b-1']);
        expect(await search(c, { mode: 'keyword', keywords: 'secret', filter: asB })).toEqual([]);
        expect(await search(c, { mode: 'dense', vector: unit(0), filter: filter({ tenantId: 'tenant-nobody' }) })).toEqual([]);
      });

      it('fills the limit from the asking tenant even when another tenant ranks higher', async () => {
        // Tenant A's records outrank B's on both lists; a post-filter would leave B with nothing.
        const c = await collectionWith('prefilter', [
          ...Array.from({ length: 30 }, (_, i) =>
            record({ id: `a-${i}`, tenantId: 'tenant-a', vector: mix([0, 1], [1, 0.01 * i]), keywords: 'gamma gamma gamma' }),
          ),
          ...Array.from({ length: 5 }, (_, i) =>
            record({
              id: `b-${i}`,
              tenantId: 'tenant-b',
              vector: mix([0, 0.1], [1, 1], [2, 0.01 * i]),
              keywords: 'gamma filler filler filler filler',
            }),
          ),
        ]);
        const asB = filter({ tenantId: 'tenant-b' });
        for (const query of [
          { mode: 'dense', vector: unit(0) },
          { mode: 'keyword', keywords: 'gamma' },
        ] as const) {
          const hits = await search(c, { ...query, filter: asB, limit: 5 });
          expect(new Set(ids(hits))).toEqual(new Set(['b-0', 'b-1', 'b-2', 'b-3', 'b-4']));
        }
      });

      it('restricts to the given knowledge bases; none given means all of the tenant’s', async () => {
        const c = await collectionWith('kbs', [
          record({ id: 'kb1', knowledgeBaseId: 'kb-1', vector: unit(0), keywords: 'policy' }),
          record({ id: 'kb2', knowledgeBaseId: 'kb-2', vector: mix([0, 1], [1, 0.2]), keywords: 'policy' }),
          record({ id: 'kb3', knowledgeBaseId: 'kb-3', vector: mix([0, 1], [1, 0.4]), keywords: 'policy' }),
        ]);
        for (const mode of ['dense', 'keyword'] as const) {
          const query = { mode, vector: unit(0), keywords: 'policy' };
          expect(new Set(ids(await search(c, { ...query, filter: filter({ knowledgeBaseIds: ['kb-2'] }) })))).toEqual(new Set(['kb2']));
          expect(new Set(ids(await search(c, { ...query, filter: filter({ knowledgeBaseIds: ['kb-1', 'kb-3'] }) })))).toEqual(
            new Set(['kb1', 'kb3']),
          );
          expect(new Set(ids(await search(c, { ...query, filter: filter({ knowledgeBaseIds: [] }) })))).toEqual(
            new Set(['kb1', 'kb2', 'kb3']),
          );
        }
      });

      it('never returns records above the asker’s access level', async () => {
        const c = await collectionWith('access', [
          record({ id: 'public', accessLevel: 0, vector: mix([0, 1], [1, 0.5]), keywords: 'salary' }),
          record({ id: 'staff', accessLevel: 1, vector: unit(0), keywords: 'salary' }),
          record({ id: 'manager', accessLevel: 2, vector: unit(0), keywords: 'salary salary' }),
        ]);
        for (const mode of ['dense', 'keyword'] as const) {
          const query = { mode, vector: unit(0), keywords: 'salary' };
          expect(ids(await search(c, { ...query, filter: filter({ maxAccessLevel: 0 }) }))).toEqual(['public']);
          expect(new Set(ids(await search(c, { ...query, filter: filter({ maxAccessLevel: 1 }) })))).toEqual(new Set(['public', 'staff']));
          expect(new Set(ids(await search(c, { ...query, filter: filter({ maxAccessLevel: 5 }) })))).toEqual(
            new Set(['public', 'staff', 'manager']),
          );
        }
      });

      it('returns only records valid at the given time, bounds inclusive, 0 meaning unbounded', async () => {
        const at = 1_750_000_000_000;
        const c = await collectionWith('validity', [
          record({ id: 'always', validFrom: 0, validTo: 0, vector: unit(0), keywords: 'price' }),
          record({ id: 'expired', validFrom: 0, validTo: at - 1, vector: unit(0), keywords: 'price' }),
          record({ id: 'future', validFrom: at + 1, validTo: 0, vector: unit(0), keywords: 'price' }),
          record({ id: 'window', validFrom: at - 1000, validTo: at + 1000, vector: unit(0), keywords: 'price' }),
          record({ id: 'starts-now', validFrom: at, validTo: 0, vector: unit(0), keywords: 'price' }),
          record({ id: 'ends-now', validFrom: 0, validTo: at, vector: unit(0), keywords: 'price' }),
        ]);
        for (const mode of ['dense', 'keyword'] as const) {
          const query = { mode, vector: unit(0), keywords: 'price' };
          expect(new Set(ids(await search(c, { ...query, filter: filter({ at }) })))).toEqual(
            new Set(['always', 'window', 'starts-now', 'ends-now']),
          );
          expect(new Set(ids(await search(c, { ...query, filter: filter({ at: 0 }) })))).toEqual(
            new Set(['always', 'expired', 'future', 'window', 'starts-now', 'ends-now']),
          );
        }
      });
    });

    describe('writes', () => {
      it('deletes by document within the tenant only', async () => {
        const c = await collectionWith('delete-doc', [
          record({ id: 'a-d1-1', documentId: 'd1' }),
          record({ id: 'a-d1-2', documentId: 'd1' }),
          record({ id: 'a-d2', documentId: 'd2' }),
          record({ id: 'b-d1', tenantId: 'tenant-b', documentId: 'd1' }),
        ]);
        await store.delete(c, { tenantId: 'tenant-a', documentId: 'd1' });
        await store.optimize(c);
        expect(await store.count(c, 'tenant-a')).toBe(1);
        expect(await store.count(c, 'tenant-b')).toBe(1);
        expect(ids(await search(c, { mode: 'keyword', keywords: 'filler', filter: filter({ tenantId: 'tenant-b' }) }))).toEqual(['b-d1']);
      });

      it('deletes every other version of a document with exceptDocumentVersion', async () => {
        const c = await collectionWith('delete-version', [
          record({ id: 'd1-v1-a', documentId: 'd1', documentVersion: 1 }),
          record({ id: 'd1-v1-b', documentId: 'd1', documentVersion: 1 }),
          record({ id: 'd1-v2-a', documentId: 'd1', documentVersion: 2 }),
          record({ id: 'd1-v3-a', documentId: 'd1', documentVersion: 3 }),
          record({ id: 'd2-v1', documentId: 'd2', documentVersion: 1 }),
        ]);
        await store.delete(c, { tenantId: 'tenant-a', documentId: 'd1', exceptDocumentVersion: 2 });
        await store.optimize(c);
        const left = await search(c, { mode: 'keyword', keywords: 'filler' });
        expect(new Set(ids(left))).toEqual(new Set(['d1-v2-a', 'd2-v1']));
      });

      it('deletes a whole knowledge base, or the whole tenant', async () => {
        const c = await collectionWith('delete-kb', [
          record({ id: 'k1', knowledgeBaseId: 'kb-1' }),
          record({ id: 'k2', knowledgeBaseId: 'kb-2' }),
          record({ id: 'b', tenantId: 'tenant-b', knowledgeBaseId: 'kb-1' }),
        ]);
        await store.delete(c, { tenantId: 'tenant-a', knowledgeBaseId: 'kb-1' });
        expect(await store.count(c, 'tenant-a')).toBe(1);
        await store.delete(c, { tenantId: 'tenant-a' });
        expect(await store.count(c, 'tenant-a')).toBe(0);
        expect(await store.count(c, 'tenant-b')).toBe(1);
      });

      it('replaces a record upserted again under the same id', async () => {
        const c = await collectionWith('upsert', [
          record({ id: 'r1', text: 'old', keywords: 'oldword', vector: unit(0) }),
          record({ id: 'r2', text: 'other', keywords: 'otherword', vector: unit(1) }),
        ]);
        await write(c, [record({ id: 'r1', text: 'new', keywords: 'newword', vector: unit(2) })]);
        expect(await store.count(c, 'tenant-a')).toBe(2);
        expect(await search(c, { mode: 'keyword', keywords: 'oldword' })).toEqual([]);
        const [byKeyword] = await search(c, { mode: 'keyword', keywords: 'newword' });
        expect(byKeyword.record.text).toBe('new');
        const dense = await search(c, { mode: 'dense', vector: unit(2) });
        expect(ids(dense)).toEqual(['r1', 'r2']);
        expect(dense[0].record.text).toBe('new');
      });

      it('keeps the last of several records with one id in a single upsert', async () => {
        const c = await collectionWith('upsert-dup', [record({ id: 'dup', text: 'first' }), record({ id: 'dup', text: 'second' })]);
        expect(await store.count(c, 'tenant-a')).toBe(1);
        const [hit] = await search(c, { mode: 'dense', vector: unit(7) });
        expect(hit.record.text).toBe('second');
      });

      it('counts per tenant', async () => {
        const c = await collectionWith('count', [
          record({ id: 'a1' }),
          record({ id: 'a2' }),
          record({ id: 'a3', knowledgeBaseId: 'kb-2' }),
          record({ id: 'b1', tenantId: 'tenant-b' }),
        ]);
        expect(await store.count(c, 'tenant-a')).toBe(3);
        expect(await store.count(c, 'tenant-b')).toBe(1);
        expect(await store.count(c, 'tenant-c')).toBe(0);
      });

      it('accepts an empty upsert', async () => {
        const c = await collectionWith('empty', []);
        await store.upsert(c, []);
        expect(await store.count(c, 'tenant-a')).toBe(0);
        expect(await search(c, { mode: 'dense', vector: unit(0) })).toEqual([]);
      });
    });

    describe('collections', () => {
      it('is idempotent for the same dimension and refuses a different one', async () => {
        const c = await collectionWith('dimension', [record({ id: 'r1' })]);
        await expect(store.ensureCollection(c, DIM)).resolves.toBeUndefined();
        await expect(store.ensureCollection(c, DIM * 2)).rejects.toThrow(/dimension/);
        expect(await store.count(c, 'tenant-a')).toBe(1);
      });

      it('refuses vectors of the wrong dimension on write and on search', async () => {
        const c = await collectionWith('dimension-io', [record({ id: 'r1' })]);
        await expect(store.upsert(c, [record({ id: 'r2', vector: new Float32Array(DIM - 1).fill(0.5) })])).rejects.toThrow(/dimension/);
        await expect(search(c, { mode: 'dense', vector: new Float32Array(DIM + 1).fill(0.1) })).rejects.toThrow(/dimension/);
        expect(await store.count(c, 'tenant-a')).toBe(1);
      });

      it('refuses to use a collection that was never created', async () => {
        await expect(search(`contract-${run}-missing`, { mode: 'dense', vector: unit(0) })).rejects.toThrow();
      });
    });

    describe('filter values are validated, never spliced', () => {
      const hostile = [
        "tenant-a' OR '1'='1",
        'tenant-a"',
        'tenant-a; DROP TABLE x',
        'tenant a',
        '',
        'x'.repeat(129),
        'tenant-a\\',
        "kb-1') OR (1=1",
      ];
      let c: string;
      beforeAll(async () => {
        c = await collectionWith('hostile', [
          record({ id: 'r1', vector: unit(0), keywords: 'refund' }),
          record({ id: 'b1', tenantId: 'tenant-b' }),
        ]);
      });

      it('rejects hostile tenant and knowledge-base ids in searches and counts', async () => {
        for (const value of hostile) {
          await expect(search(c, { mode: 'dense', vector: unit(0), filter: filter({ tenantId: value }) })).rejects.toThrow(
            VectorStoreInputError,
          );
          await expect(
            search(c, { mode: 'keyword', keywords: 'refund', filter: filter({ knowledgeBaseIds: ['kb-1', value] }) }),
          ).rejects.toThrow(VectorStoreInputError);
          await expect(store.count(c, value)).rejects.toThrow(VectorStoreInputError);
        }
      });

      it('rejects non-integer numbers in filters', async () => {
        for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, 1.5]) {
          await expect(search(c, { mode: 'dense', vector: unit(0), filter: filter({ maxAccessLevel: bad }) })).rejects.toThrow(
            VectorStoreInputError,
          );
          await expect(search(c, { mode: 'dense', vector: unit(0), filter: filter({ at: bad }) })).rejects.toThrow(VectorStoreInputError);
        }
        await expect(search(c, { mode: 'dense', vector: unit(0), filter: filter({ at: -1 }) })).rejects.toThrow(VectorStoreInputError);
      });

      it('rejects hostile delete selectors and deletes nothing', async () => {
        for (const value of hostile) {
          await expect(store.delete(c, { tenantId: value })).rejects.toThrow(VectorStoreInputError);
          await expect(store.delete(c, { tenantId: 'tenant-a', documentId: value })).rejects.toThrow(VectorStoreInputError);
          await expect(store.delete(c, { tenantId: 'tenant-a', knowledgeBaseId: value })).rejects.toThrow(VectorStoreInputError);
        }
        await expect(store.delete(c, { tenantId: 'tenant-a', documentId: 'doc-r1', exceptDocumentVersion: 1.5 })).rejects.toThrow(
          VectorStoreInputError,
        );
        // "All other versions" with no document would mean the whole tenant: refused.
        await expect(store.delete(c, { tenantId: 'tenant-a', exceptDocumentVersion: 1 })).rejects.toThrow(VectorStoreInputError);
        expect(await store.count(c, 'tenant-a')).toBe(1);
        expect(await store.count(c, 'tenant-b')).toBe(1);
      });

      it('rejects records whose filterable fields could not be matched safely', async () => {
        await expect(store.upsert(c, [record({ id: 'evil', tenantId: "tenant-a' OR '1'='1" })])).rejects.toThrow(VectorStoreInputError);
        await expect(store.upsert(c, [record({ id: 'evil', accessLevel: 0.5 })])).rejects.toThrow(VectorStoreInputError);
        expect(await store.count(c, 'tenant-a')).toBe(1);
      });

      it('rejects hostile collection names', async () => {
        await expect(store.ensureCollection('../escape', DIM)).rejects.toThrow(VectorStoreInputError);
        await expect(store.ensureCollection('a b', DIM)).rejects.toThrow(VectorStoreInputError);
      });
    });
  });
}
