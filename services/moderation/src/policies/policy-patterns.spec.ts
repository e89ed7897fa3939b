import { compilePattern, MAX_PATTERN_MATCHES } from './policy-patterns';

describe('compilePattern', () => {
  it('reports every match, case-insensitively, as offsets into the text', () => {
    expect(compilePattern('refund\\s+now').matches('Please REFUND now, refund  now!')).toEqual([
      { start: 7, end: 17 },
      { start: 19, end: 30 },
    ]);
  });

  it('past the match limit, covers the rest of the text with one span: redaction covers more, never less', () => {
    const text = 'b'.repeat(MAX_PATTERN_MATCHES + 500);
    const matches = compilePattern('a*a*a*a*a*a*a*b').matches(text);
    expect(matches).toHaveLength(MAX_PATTERN_MATCHES + 1);
    expect(matches[MAX_PATTERN_MATCHES - 1]).toEqual({ start: MAX_PATTERN_MATCHES - 1, end: MAX_PATTERN_MATCHES });
    expect(matches[MAX_PATTERN_MATCHES]).toEqual({ start: MAX_PATTERN_MATCHES, end: text.length });
  });
});
