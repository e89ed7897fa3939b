import { create, StyleGuideSchema } from '@switchboard/contracts';
import type { Passage } from './extractive-answerer';
import { citedPassages, groundedPrompt, isNoAnswer, mightBeNoAnswer, replyLanguage, type PromptInput } from './grounded-prompt';
import { estimateTokens } from './token-budget';

const passage = (id: string, text: string, score = 1): Passage => ({ id, title: `Title ${id}`, text, score });

const input = (overrides: Partial<PromptInput> = {}): PromptInput => ({
  question: 'How do I return an item?',
  locale: 'en-US',
  passages: [passage('a', 'Returns are accepted within 30 days.'), passage('b', 'Refunds go to the original payment method.')],
  facts: [],
  toolsOffered: false,
  ...overrides,
});

const system = (prompt: ReturnType<typeof groundedPrompt>) => {
  const content = prompt.messages[0]?.content;
  return typeof content === 'string' ? content : JSON.stringify(content);
};

describe('groundedPrompt', () => {
  it('numbers the passages as sources and asks for [n] citations or the no-answer marker', () => {
    const prompt = groundedPrompt(input(), 6000);
    expect(system(prompt)).toContain('[1] Title a\nReturns are accepted within 30 days.');
    expect(system(prompt)).toContain('[2] Title b\nRefunds go to the original payment method.');
    expect(system(prompt)).toMatch(/square brackets, e\.g\. \[1\]/);
    expect(system(prompt)).toContain('reply exactly NO_ANSWER');
    expect(prompt.messages[1]).toEqual({ role: 'user', content: 'How do I return an item?' });
    expect(prompt.passages.map((p) => p.id)).toEqual(['a', 'b']);
  });

  it('adds the known facts and the style guide, and says so when there are no sources', () => {
    const styleGuide = create(StyleGuideSchema, {
      tenantId: 't',
      tone: 'warm and brief',
      rules: ['Never mention competitors'],
      forbiddenPromises: ['same-day refunds'],
      signOff: '— Acme support',
    });
    const text = system(
      groundedPrompt(
        input({
          passages: [],
          facts: [
            { name: 'order_status', value: 'shipped' },
            { name: 'empty', value: ' ' },
          ],
          styleGuide,
        }),
        6000,
      ),
    );
    expect(text).toContain('Known facts:\n- order_status: shipped');
    expect(text).not.toContain('empty:');
    expect(text).toContain('Tone: warm and brief');
    expect(text).toContain('Rules:\n- Never mention competitors');
    expect(text).toContain('Never promise:\n- same-day refunds');
    expect(text).toContain('End every reply with: — Acme support');
    expect(text).toContain('Sources:\n(none)');
  });

  it('mentions tools and confirmation only when tools are offered', () => {
    expect(system(groundedPrompt(input(), 6000))).not.toMatch(/tool/i);
    expect(system(groundedPrompt(input({ toolsOffered: true }), 6000))).toMatch(/explicit confirmation/);
  });

  it('drops the lowest-ranked passages to stay within the budget, counting reserved tokens', () => {
    const long = (id: string, score: number) => passage(id, 'word '.repeat(400), score); // ~500 tokens each
    const passages = [long('best', 3), long('second', 2), long('third', 1)];
    const all = groundedPrompt(input({ passages }), 6000);
    expect(all.passages).toHaveLength(3);
    const budget = all.tokens - 200;
    const fitted = groundedPrompt(input({ passages }), budget);
    expect(fitted.passages.map((p) => p.id)).toEqual(['best', 'second']);
    expect(fitted.tokens).toBeLessThanOrEqual(budget);
    expect(system(fitted)).not.toContain('[3]');
    const reserved = groundedPrompt(input({ passages }), budget, 600);
    expect(reserved.passages.map((p) => p.id)).toEqual(['best']);
    expect(reserved.tokens).toBeLessThanOrEqual(budget);
    expect(reserved.tokens).toBe(estimateTokens(system(reserved)) + estimateTokens('How do I return an item?') + 8 + 600);
  });
});

describe('replyLanguage', () => {
  it('names the language of the locale', () => {
    expect(replyLanguage('en-US', '你好')).toBe('English');
    expect(replyLanguage('zh-CN', 'hello')).toBe('Chinese');
    expect(replyLanguage('fr', '')).toBe('French');
    expect(replyLanguage('zh_TW', '')).toBe('Chinese');
  });

  it('detects CJK in the question when there is no usable locale', () => {
    expect(replyLanguage('', '我想退货')).toBe('Chinese');
    expect(replyLanguage('', '返品したいです')).toBe('Japanese');
    expect(replyLanguage('not a locale!', '환불하고 싶어요')).toBe('Korean');
    expect(replyLanguage('', 'I want a refund')).toBe("the language of the customer's message");
  });
});

describe('citations and the no-answer marker', () => {
  const numbered = [passage('a', 'x'), passage('b', 'y')];

  it('maps [n] to the numbered passages, once each, ignoring numbers out of range', () => {
    expect(citedPassages('Yes [2]. Also [1] and [2] again, not [7].', numbered).map((p) => p.id)).toEqual(['b', 'a']);
    expect(citedPassages('No citations here.', numbered)).toEqual([]);
  });

  it('recognises the marker with stray punctuation, and its prefixes while streaming', () => {
    expect(isNoAnswer('NO_ANSWER')).toBe(true);
    expect(isNoAnswer(' NO_ANSWER.\n')).toBe(true);
    expect(isNoAnswer('NO_ANSWER because')).toBe(false);
    expect(mightBeNoAnswer('')).toBe(true);
    expect(mightBeNoAnswer('NO_AN')).toBe(true);
    expect(mightBeNoAnswer('No')).toBe(false);
    expect(mightBeNoAnswer('Returns')).toBe(false);
  });
});
