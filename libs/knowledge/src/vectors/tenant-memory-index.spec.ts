import { TenantMemoryIndex, type MemoryRecord } from './tenant-memory-index';
import { storedRecord } from './stored-record.fixture';
import type { StoredRecord } from './vector-store';
import type { ValidFilter } from './vector-store.shared';

function row(id: string, vector: number[], keywords: string, overrides: Partial<StoredRecord> = {}): MemoryRecord {
  return { record: storedRecord({ id, keywords, ...overrides }), vector: Float32Array.from(vector) };
}

const everything: ValidFilter = { tenantId: 't', knowledgeBaseIds: [], maxAccessLevel: 0, at: 0 };

describe('TenantMemoryIndex', () => {
  it('ranks by cosine similarity, whatever the vectors’ lengths', () => {
    const index = new TenantMemoryIndex([row('x', [2, 0], ''), row('diag', [1, 1], ''), row('y', [0, 3], '')], 2);
    const hits = index.dense(Float32Array.from([1, 0.2]), 2, everything);
    expect(hits.map((hit) => hit.record.id)).toEqual(['x', 'diag']);
    expect(hits[0].score).toBeCloseTo(1 / Math.hypot(1, 0.2), 6);
    expect(index.dense(Float32Array.from([0, 1]), 10, everything).map((hit) => hit.score)).toEqual([1, expect.closeTo(Math.SQRT1_2, 6), 0]);
  });

  it('scores keywords by BM25: rare terms weigh more, repeats saturate, long records are discounted', () => {
    const index = new TenantMemoryIndex(
      [
        row('common', [1, 0], 'refund order'),
        row('rare', [1, 0], 'serial order'),
        row('repeat', [1, 0], 'refund refund refund order'),
        row('long', [1, 0], 'refund a b c d e f g h'),
        row('none', [1, 0], 'other'),
      ],
      2,
    );
    const ids = (keywords: string[]) => index.keyword(keywords, 10, everything).map((hit) => hit.record.id);
    expect(ids(['serial', 'refund'])[0]).toBe('rare');
    expect(ids(['refund'])).toEqual(['repeat', 'common', 'long']);
    expect(ids(['absent'])).toEqual([]);
    const [repeat, common] = index.keyword(['refund'], 2, everything);
    // Three times the term is worth less than three times the score.
    expect(repeat.score).toBeLessThan(3 * common.score);
  });

  it('applies the filter: knowledge bases, access level, validity, and only its tenant', () => {
    const at = 1_000;
    const index = new TenantMemoryIndex(
      [
        row('kb2', [1, 0], 'word', { knowledgeBaseId: 'kb2' }),
        row('secret', [1, 0], 'word', { accessLevel: 2 }),
        row('expired', [1, 0], 'word', { validTo: at - 1 }),
        row('future', [1, 0], 'word', { validFrom: at + 1 }),
        row('edges', [1, 0], 'word', { validFrom: at, validTo: at }),
        row('stray', [1, 0], 'word', { tenantId: 'other' }),
      ],
      2,
    );
    const filter: ValidFilter = { tenantId: 't', knowledgeBaseIds: ['kb'], maxAccessLevel: 1, at };
    expect(index.dense(Float32Array.from([1, 0]), 10, filter).map((hit) => hit.record.id)).toEqual(['edges']);
    expect(index.keyword(['word'], 10, filter).map((hit) => hit.record.id)).toEqual(['edges']);
    const open: ValidFilter = { tenantId: 't', knowledgeBaseIds: [], maxAccessLevel: 2, at: 0 };
    expect(
      index
        .keyword(['word'], 10, open)
        .map((hit) => hit.record.id)
        .sort(),
    ).toEqual(['edges', 'expired', 'future', 'kb2', 'secret']);
  });

  it('returns at most the limit, best first, the earlier record first on a tie', () => {
    const index = new TenantMemoryIndex(
      Array.from({ length: 50 }, (_, i) => row(`r${i}`, [Math.cos(i / 50), Math.sin(i / 50)], 'same')),
      2,
    );
    expect(index.dense(Float32Array.from([1, 0]), 3, everything).map((hit) => hit.record.id)).toEqual(['r0', 'r1', 'r2']);
    expect(index.keyword(['same'], 3, everything).map((hit) => hit.record.id)).toEqual(['r0', 'r1', 'r2']);
  });
});
