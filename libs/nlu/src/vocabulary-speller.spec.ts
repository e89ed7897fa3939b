import { editDistance } from './edit-distance';
import { VocabularySpeller } from './vocabulary-speller';

describe('editDistance', () => {
  it('counts a swap of neighbours as one edit and stops early past the limit', () => {
    expect(editDistance('cancle', 'cancel')).toBe(1);
    expect(editDistance('ordr', 'order')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('kitten', 'sitting', 1)).toBe(2);
    expect(editDistance('same', 'same')).toBe(0);
  });
});

describe('VocabularySpeller', () => {
  const speller = VocabularySpeller.fromTexts(['where is my order', 'I want to cancel my order', 'return the jacket', 'order the boots']);

  it('respells unknown words as the nearest word of the examples', () => {
    expect(speller.correct('wher is my ordr')).toBe('where is my order');
    expect(speller.correct('i wanna cancle my oder')).toBe('i wanna cancel my order');
    expect(speller.correct('retrun the jaket')).toBe('return the jacket');
  });

  it('leaves known words, short words, numbers and far-off words alone', () => {
    expect(speller.correct('Where is order W2378156')).toBe('Where is order W2378156');
    expect(speller.correct('the cat sat')).toBe('the cat sat');
    expect(speller.correct('tell me about quantum physics')).toBe('tell me about quantum physics');
  });
});
