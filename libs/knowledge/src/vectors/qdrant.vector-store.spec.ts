// What the Qdrant store sends, checked without a server: point ids, sparse keyword vectors and
// filters. The behaviour against a real Qdrant is the shared contract (qdrant.vector-store.int-spec.ts).
import { deleteFilter, fnv1a32, fromPayload, pointId, searchFilter, sparseVector, uuidV5 } from './qdrant.vector-store';
import type { StoredRecord } from './vector-store';
import { validateFilter, validateSelector, VectorStoreInputError } from './vector-store.shared';

describe('point ids', () => {
  it('are RFC 4122 version-5 UUIDs', () => {
    // Reference values from Python's uuid.uuid5(uuid.NAMESPACE_DNS, name).
    const dns = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';
    expect(uuidV5('python.org', dns)).toBe('886313e1-3b8a-5372-9b90-0c9aee199e5d');
    expect(uuidV5('www.example.com', dns)).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('are stable per record id and differ between ids', () => {
    expect(pointId('kb-1:doc-1:0')).toBe(pointId('kb-1:doc-1:0'));
    expect(pointId('kb-1:doc-1:0')).not.toBe(pointId('kb-1:doc-1:1'));
    expect(pointId('退货')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('sparse keyword vectors', () => {
  it('hash tokens with 32-bit FNV-1a over UTF-8', () => {
    // Reference values from the FNV test suite.
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
    expect(fnv1a32('退货')).toBe(fnv1a32('退货'));
    expect(fnv1a32('退货')).not.toBe(fnv1a32('货款'));
  });

  it('weigh document terms by frequency and query terms once, with sorted unique indices', () => {
    const doc = sparseVector(['refund', 'order', 'refund', '退货'], 'document');
    expect(doc.indices).toEqual([...doc.indices].sort((a, b) => a - b));
    expect(new Set(doc.indices).size).toBe(doc.indices.length);
    expect(doc.values[doc.indices.indexOf(fnv1a32('refund'))]).toBe(2);
    expect(doc.values[doc.indices.indexOf(fnv1a32('退货'))]).toBe(1);
    const query = sparseVector(['refund', 'refund', 'order'], 'query');
    expect(query.values).toEqual([1, 1]);
    expect(sparseVector([], 'query')).toEqual({ indices: [], values: [] });
  });
});

describe('filters', () => {
  it('always lead with the tenant, then knowledge bases, access level and validity', () => {
    const filter = searchFilter(
      validateFilter({ tenantId: 't-1', knowledgeBaseIds: ['kb-1', 'kb-2', 'kb-1'], maxAccessLevel: 2, at: 1000 }),
    );
    expect(filter).toEqual({
      must: [
        { key: 'tenantId', match: { value: 't-1' } },
        { key: 'knowledgeBaseId', match: { any: ['kb-1', 'kb-2'] } },
        { key: 'accessLevel', range: { lte: 2 } },
        { key: 'validFrom', range: { lte: 1000 } },
        {
          should: [
            { key: 'validTo', match: { value: 0 } },
            { key: 'validTo', range: { gte: 1000 } },
          ],
        },
      ],
    });
    expect(searchFilter(validateFilter({ tenantId: 't-1', knowledgeBaseIds: [], maxAccessLevel: 0, at: 0 }))).toEqual({
      must: [
        { key: 'tenantId', match: { value: 't-1' } },
        { key: 'accessLevel', range: { lte: 0 } },
      ],
    });
  });

  it('scope deletes to the tenant and exclude the kept version', () => {
    expect(deleteFilter(validateSelector({ tenantId: 't-1', documentId: 'd-1', exceptDocumentVersion: 3 }))).toEqual({
      must: [
        { key: 'tenantId', match: { value: 't-1' } },
        { key: 'documentId', match: { value: 'd-1' } },
      ],
      must_not: [{ key: 'documentVersion', match: { value: 3 } }],
    });
  });

  it('are never built from unvalidated values', () => {
    expect(() => searchFilter({ tenantId: "t' OR 1=1", knowledgeBaseIds: [], maxAccessLevel: 0, at: 0 })).toThrow(VectorStoreInputError);
    expect(() => deleteFilter({ tenantId: '' })).toThrow(VectorStoreInputError);
  });
});

describe('payloads', () => {
  const stored: StoredRecord = {
    id: 'r1',
    tenantId: 't',
    knowledgeBaseId: 'kb',
    documentId: 'd',
    documentVersion: 1,
    position: 0,
    text: 'x',
    title: 'y',
    keywords: 'z',
    language: 'en',
    accessLevel: 0,
    tags: ['a'],
    product: '',
    validFrom: 0,
    validTo: 0,
    faqId: '',
    contentHash: 'h',
  };

  it('read back into records, refusing malformed ones', () => {
    expect(fromPayload({ ...stored })).toEqual(stored);
    expect(() => fromPayload({ ...stored, accessLevel: '0' })).toThrow(/accessLevel/);
    expect(() => fromPayload({ ...stored, tags: [1] })).toThrow(/tags/);
    expect(() => fromPayload(null)).toThrow(/payload/);
  });
});
