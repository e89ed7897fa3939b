import { heldOutAccuracy } from './held-out-accuracy';

const row = (...scores: number[]) => Float64Array.from(scores);

describe('heldOutAccuracy', () => {
  it('counts the best label among the intents, overall and per intent, ignoring the hidden class after them', () => {
    const labels = ['cancel', 'greet'];
    const logits = [
      row(3, 1, 0), // cancel, right
      row(1, 2, 0), // greet for a cancel: wrong
      row(1, 2, 9), // greet, right: the hidden class's higher score does not count
      row(0, 5, 1), // greet, right
    ];
    expect(heldOutAccuracy(logits, [0, 0, 1, 1], labels, 'cross-validation')).toEqual({
      overall: 0.75,
      perIntent: { cancel: 0.5, greet: 1 },
      heldOut: 4,
      method: 'cross-validation',
    });
  });

  it('leaves out an intent with nothing held out, and says zero of nothing', () => {
    expect(heldOutAccuracy([row(0, 1, 0)], [1], ['a', 'b', 'c'], 'hold-out')).toEqual({
      overall: 1,
      perIntent: { b: 1 },
      heldOut: 1,
      method: 'hold-out',
    });
    expect(heldOutAccuracy([], [], ['a', 'b'], 'hold-out')).toMatchObject({ overall: 0, heldOut: 0, perIntent: {} });
  });
});
