// Token counts without the model's tokenizer: close enough to keep a prompt under a budget, and
// the same for every OpenAI-compatible model. Latin text runs about four characters per token;
// Chinese, Japanese and Korean about one token per character.

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
/** What the chat format adds per message (role, separators). */
export const MESSAGE_OVERHEAD_TOKENS = 4;

export function estimateTokens(text: string): number {
  let cjk = 0;
  let other = 0;
  for (const char of text) {
    if (CJK.test(char)) cjk += 1;
    else other += 1;
  }
  return cjk + Math.ceil(other / 4);
}

/** The longest start of `text` that fits in `maxTokens`, marked as cut when it is. */
export function truncateToTokens(text: string, maxTokens: number, marker = ' …[cut]'): string {
  if (estimateTokens(text) <= maxTokens) return text;
  const room = maxTokens - estimateTokens(marker);
  if (room <= 0) return '';
  const chars = Array.from(text);
  // Binary search on the character count: estimateTokens grows with every character.
  let low = 0;
  let high = chars.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (estimateTokens(chars.slice(0, mid).join('')) <= room) low = mid;
    else high = mid - 1;
  }
  return chars.slice(0, low).join('') + marker;
}

/**
 * The items that fit in `budget` tokens, taken in the order given (best first). Stops at the first
 * that does not fit, so what is dropped is always the lowest-ranked: a short, worse passage never
 * takes the place of a long, better one.
 */
export function fitInBudget<T>(ranked: T[], cost: (item: T) => number, budget: number): T[] {
  const kept: T[] = [];
  let used = 0;
  for (const item of ranked) {
    const tokens = cost(item);
    if (used + tokens > budget) break;
    kept.push(item);
    used += tokens;
  }
  return kept;
}
