import { batches, cosine, dot, l2Normalize } from './vectors';

describe('l2Normalize', () => {
  it('returns a unit-length Float32Array with the same direction', () => {
    const v = l2Normalize([3, 4]);
    expect(v).toBeInstanceOf(Float32Array);
    expect(Array.from(v)).toEqual([expect.closeTo(0.6, 6), expect.closeTo(0.8, 6)]);
    expect(dot(v, v)).toBeCloseTo(1, 6);
  });

  it('does not modify its input and accepts typed arrays', () => {
    const input = new Float32Array([0, 0, 2]);
    expect(Array.from(l2Normalize(input))).toEqual([0, 0, 1]);
    expect(Array.from(input)).toEqual([0, 0, 2]);
  });

  it('leaves unit vectors unchanged', () => {
    const unit = l2Normalize([1, 2, 3, 4]);
    const again = l2Normalize(unit);
    unit.forEach((x, i) => expect(again[i]).toBeCloseTo(x, 7));
  });

  it('rejects vectors without a direction', () => {
    expect(() => l2Normalize([0, 0, 0])).toThrow(/all-zero/);
    expect(() => l2Normalize([])).toThrow(/empty/);
    expect(() => l2Normalize([1, Number.NaN])).toThrow(/non-finite/);
    expect(() => l2Normalize([1, Number.POSITIVE_INFINITY])).toThrow(/non-finite/);
  });
});

describe('dot and cosine', () => {
  it('compute similarity', () => {
    expect(dot([1, 2, 3], [4, 5, 6])).toBe(32);
    expect(cosine([1, 0], [0, 5])).toBe(0);
    expect(cosine([2, 2], [5, 5])).toBeCloseTo(1, 10);
    expect(() => dot([1], [1, 2])).toThrow(/lengths differ/);
  });
});

describe('batches', () => {
  it('slices in order, the last slice shorter', () => {
    expect(batches([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(batches([], 32)).toEqual([]);
    expect(batches([1, 2], 32)).toEqual([[1, 2]]);
  });

  it('rejects a size that is not a positive integer', () => {
    expect(() => batches([1], 0)).toThrow(/positive integer/);
    expect(() => batches([1], 1.5)).toThrow(/positive integer/);
  });
});
