import { keywordsOf } from './knowledge-units';

describe('keywordsOf', () => {
  it('adds character trigrams of longer Latin words, so a misspelling shares most of them', () => {
    // Trigrams of the tokens (stemmed): "cancl" and "order", none of the short "my".
    const trigrams = keywordsOf('Cancle my order')
      .split(' ')
      .filter((k) => k.startsWith('~'));
    expect(trigrams).toEqual(['~<ca', '~can', '~anc', '~ncl', '~cl>', '~<or', '~ord', '~rde', '~der', '~er>']);
  });

  it('does not run out of stack on one multi-megabyte word (an upload can hold one)', () => {
    expect(() => keywordsOf('a'.repeat(12_000_000))).not.toThrow();
  });
});
