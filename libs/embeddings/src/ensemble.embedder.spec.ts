import type { Embedder } from './embedder';
import { EnsembleEmbedder, ensembleMembers, isEnsembleModel } from './ensemble.embedder';
import { dot, l2Normalize } from './vectors';

/** A fixed table of vectors per text: the ensemble's arithmetic is what is under test, not a model. */
function tableEmbedder(model: string, table: Record<string, number[]>): Embedder {
  const dimension = Object.values(table)[0].length;
  return { model, dimension, embed: async (texts) => texts.map((t) => l2Normalize(table[t])), close: async () => undefined };
}

describe('EnsembleEmbedder', () => {
  const a = tableEmbedder('a', { q: [1, 0, 0], p: [0.6, 0.8, 0] });
  const b = tableEmbedder('b', { q: [1, 0], p: [0, 1] });

  it("scores two texts by the mean of its members' cosines, with unit-length vectors", async () => {
    const ensemble = new EnsembleEmbedder([a, b]);
    const [q] = await ensemble.embed(['q'], 'query');
    const [p] = await ensemble.embed(['p'], 'passage');
    expect(ensemble.model).toBe('a+b');
    expect(ensemble.dimension).toBe(5);
    expect(dot(q, q)).toBeCloseTo(1, 6);
    expect(dot(q, p)).toBeCloseTo((0.6 + 0) / 2, 6);
  });

  it('reads ensemble names and rejects malformed ones', () => {
    expect(isEnsembleModel('all-minilm-l6-v2')).toBe(false);
    expect(ensembleMembers('all-minilm-l6-v2+bge-small-en-v1.5')).toEqual(['all-minilm-l6-v2', 'bge-small-en-v1.5']);
    expect(() => ensembleMembers('a+')).toThrow('two or more different model names');
    expect(() => ensembleMembers('a+a')).toThrow('two or more different model names');
  });
});
