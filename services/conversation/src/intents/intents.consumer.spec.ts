// The per-label counts GET /v1/intents returns (the console's Intents screen shows them).
import { examplesPerLabel } from './intents.consumer';

describe('examplesPerLabel', () => {
  it('counts each label once per example, labels in order', () => {
    const counts = examplesPerLabel([
      { text: 'where is my order', label: 'order_status' },
      { text: 'cancel it', label: 'cancel_order' },
      { text: 'has it shipped', label: 'order_status' },
    ]);
    expect(counts).toEqual({ cancel_order: 1, order_status: 2 });
    expect(Object.keys(counts)).toEqual(['cancel_order', 'order_status']);
  });

  it('counts a label of any text, "__proto__" too (an object literal dropped it)', () => {
    const counts = examplesPerLabel([
      { text: 'a', label: '__proto__' },
      { text: 'b', label: '__proto__' },
    ]);
    expect(Object.keys(counts)).toEqual(['__proto__']);
    expect(Object.getOwnPropertyDescriptor(counts, '__proto__')?.value).toBe(2);
  });

  it('is empty without examples', () => {
    expect(examplesPerLabel([])).toEqual({});
  });
});
