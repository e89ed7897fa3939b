import { batches, ERASURE_BATCH } from './retention-sweep';

describe('batches', () => {
  it('slices in order, none larger than the size', () => {
    const ids = Array.from({ length: 2 * ERASURE_BATCH + 1 }, (_, i) => `c${i}`);
    const slices = batches(ids, ERASURE_BATCH);
    expect(slices.map((s) => s.length)).toEqual([ERASURE_BATCH, ERASURE_BATCH, 1]);
    expect(slices.flat()).toEqual(ids);
  });

  it('gives no batch for no items', () => {
    expect(batches([], 10)).toEqual([]);
  });
});
