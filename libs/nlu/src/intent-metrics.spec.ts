import { scoreIntents } from './intent-metrics';

describe('scoreIntents', () => {
  it('computes accuracy, macro-F1 over every label seen, and the commonest confusions', () => {
    const truth = ['a', 'a', 'a', 'b', 'b', 'c'];
    const predicted = ['a', 'a', 'b', 'b', 'a', 'a'];
    const scores = scoreIntents(truth, predicted);
    // a: P 2/4, R 2/3 -> F1 4/7; b: P 1/2, R 1/2 -> 1/2; c: 0.
    expect(scores.accuracy).toBeCloseTo(3 / 6, 4);
    expect(scores.macro_f1).toBeCloseTo((4 / 7 + 1 / 2 + 0) / 3, 4);
    expect(scores.n).toBe(6);
    expect(scores.confused).toEqual([
      { true: 'a', predicted: 'b', count: 1 },
      { true: 'b', predicted: 'a', count: 1 },
      { true: 'c', predicted: 'a', count: 1 },
    ]);
  });

  it('orders confusions by count and keeps only the top ones', () => {
    const scores = scoreIntents(['x', 'x', 'y', 'z'], ['y', 'y', 'z', 'x'], 1);
    expect(scores.confused).toEqual([{ true: 'x', predicted: 'y', count: 2 }]);
  });

  it('refuses mismatched lengths', () => {
    expect(() => scoreIntents(['a'], [])).toThrow('1 true labels but 0 predictions');
  });
});
