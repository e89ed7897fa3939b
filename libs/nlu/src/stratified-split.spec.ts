import { stratifiedSplit } from './stratified-split';

const items = [
  ...Array.from({ length: 50 }, (_, i) => ({ id: i, label: 'big' })),
  ...Array.from({ length: 10 }, (_, i) => ({ id: 100 + i, label: 'small' })),
  { id: 200, label: 'pair' },
  { id: 201, label: 'pair' },
  { id: 300, label: 'single' },
];

describe('stratifiedSplit', () => {
  it('gives each label its share of the test side, keeping one of a pair and all of a single', () => {
    const { train, test } = stratifiedSplit(items, (x) => x.label, { testFraction: 0.2, seed: 7 });
    const count = (list: typeof items, label: string) => list.filter((x) => x.label === label).length;
    expect([count(test, 'big'), count(test, 'small'), count(test, 'pair'), count(test, 'single')]).toEqual([10, 2, 1, 0]);
    expect(train.length + test.length).toBe(items.length);
    expect(new Set([...train, ...test].map((x) => x.id)).size).toBe(items.length);
  });

  it('is reproducible for a seed, differs across seeds, and keeps the input order on each side', () => {
    const ids = (seed: number) => stratifiedSplit(items, (x) => x.label, { seed }).test.map((x) => x.id);
    expect(ids(7)).toEqual(ids(7));
    expect(ids(7)).not.toEqual(ids(8));
    expect(ids(7)).toEqual([...ids(7)].sort((a, b) => a - b));
  });

  it('rejects a fraction outside (0, 1)', () => {
    expect(() => stratifiedSplit(items, (x) => x.label, { testFraction: 1 })).toThrow('between 0 and 1');
  });
});
