import { keywordsOf } from './knowledge-units';

describe('keywordsOf', () => {
  it('adds character trigrams of longer Latin words, so a misspelling shares most of them', () => {
    // Trigrams of the tokens (stemmed): "cancl" and "order", none of the short "my".
    const trigrams = keywordsOf('Cancle my order')
      .split(' ')
      .filter((k) => k.startsWith('~'));
    expect(trigrams).toEqual(['~<ca', '~can', '~anc', '~ncl', '~cl>', '~<or', '~ord', '~rde', '~der', '~er>']);
  });

  it('makes no trigrams of a "word" longer than 40 letters (a pasted hash or a run of letters in a document)', () => {
    // Each letter of such a token would be a trigram: 10,000 of them for one line of junk.
    expect(
      keywordsOf(`refund ${'a'.repeat(10_000)}`)
        .split(' ')
        .filter((k) => k.startsWith('~')),
    ).toEqual(['~<re', '~ref', '~efu', '~fun', '~und', '~nd>']);
  });
});
