import { normalizeText, normalizeWithOffsets, rawSpan } from './normalize-text';

describe('normalizeText', () => {
  it('turns full-width digits, letters and punctuation half-width and collapses whitespace', () => {
    expect(normalizeText('＃Ｗ２３７８１５６，　ｏｋ？')).toBe('#W2378156, ok?');
    expect(normalizeText('  where\tis \n\n my   order  ')).toBe('where is my order');
  });

  it('maps every normalised character back to where it was typed', () => {
    const raw = '  订单　＃Ｗ２３７８１５６  到了吗';
    const normalized = normalizeWithOffsets(raw);
    const start = normalized.text.indexOf('#W2378156');
    const span = rawSpan(raw, normalized, start, start + '#W2378156'.length);
    expect(raw.slice(span.start, span.end)).toBe('＃Ｗ２３７８１５６');
    expect(normalized.offsets).toHaveLength(normalized.text.length + 1);
  });
});
