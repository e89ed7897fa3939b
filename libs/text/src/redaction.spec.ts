import { applyRedactions } from './redaction';

describe('applyRedactions', () => {
  it('replaces spans in any order, and lets the first of overlapping spans swallow the rest', () => {
    const text = 'call 555 0134 or mail a@b.co';
    expect(
      applyRedactions(text, [
        { start: 22, end: 28, placeholder: '[EMAIL]' },
        { start: 5, end: 13, placeholder: '[PHONE]' },
      ]),
    ).toBe('call [PHONE] or mail [EMAIL]');
    expect(
      applyRedactions('abcdef', [
        { start: 1, end: 4, placeholder: '[X]' },
        { start: 2, end: 5, placeholder: '[Y]' },
      ]),
    ).toBe('a[X]f');
    expect(applyRedactions('abc', [])).toBe('abc');
  });
});
