import { estimateTokens, fitInBudget, truncateToTokens } from './token-budget';

describe('estimateTokens', () => {
  it('counts about four Latin characters per token', () => {
    expect(estimateTokens('')).toBe(0);
    expect(estimateTokens('abcd')).toBe(1);
    expect(estimateTokens('abcde')).toBe(2);
    expect(estimateTokens('Returns are accepted within 30 days.')).toBe(9);
  });

  it('counts one token per Chinese, Japanese or Korean character', () => {
    expect(estimateTokens('退货政策')).toBe(4);
    expect(estimateTokens('ありがとう')).toBe(5);
    expect(estimateTokens('감사합니다')).toBe(5);
    expect(estimateTokens('订单 order')).toBe(2 + 2);
  });
});

describe('truncateToTokens', () => {
  it('keeps text that fits', () => {
    expect(truncateToTokens('short', 10)).toBe('short');
  });

  it('cuts the longest start that fits, marker included', () => {
    // The marker costs 2 tokens, leaving 18 for 72 Latin characters.
    expect(truncateToTokens('a'.repeat(400), 20)).toBe(`${'a'.repeat(72)} …[cut]`);
  });

  it('cuts CJK text by characters and gives nothing when not even the marker fits', () => {
    expect(truncateToTokens('退货政策退货政策', 5)).toBe('退货政 …[cut]');
    expect(truncateToTokens('a'.repeat(100), 1)).toBe('');
  });
});

describe('fitInBudget', () => {
  const cost = (s: string) => s.length;

  it('keeps the best items that fit and drops from the lowest-ranked end', () => {
    expect(fitInBudget(['aaa', 'bb', 'c'], cost, 5)).toEqual(['aaa', 'bb']);
    expect(fitInBudget(['aaa', 'bb', 'c'], cost, 6)).toEqual(['aaa', 'bb', 'c']);
  });

  it('does not let a short, worse item jump ahead of a long, better one', () => {
    expect(fitInBudget(['aaa', 'bbbbbb', 'c'], cost, 5)).toEqual(['aaa']);
  });

  it('keeps nothing when the budget is spent', () => {
    expect(fitInBudget(['a'], cost, 0)).toEqual([]);
    expect(fitInBudget(['a'], cost, -3)).toEqual([]);
  });
});
