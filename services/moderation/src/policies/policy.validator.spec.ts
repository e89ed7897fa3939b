import { Action, create, Direction, MAX_TEXT, TenantPolicySchema, type MessageInitShape } from '@switchboard/contracts';
import { compilePattern } from './policy-patterns';
import { POLICY_LIMITS, policyViolations } from './policy.validator';

// The longest text a check carries (moderation.check.v1 allows MAX_TEXT × 4).
const POLICY_CHECK_TEXT = MAX_TEXT * 4;
const policy = (init: MessageInitShape<typeof TenantPolicySchema>) => create(TenantPolicySchema, init);
const rule = (init: Record<string, unknown> = {}) => ({
  name: 'no-refund-promises',
  action: Action.BLOCK,
  keywords: ['guaranteed refund'],
  ...init,
});

describe('policyViolations', () => {
  it('accepts a sensible policy', () => {
    expect(
      policyViolations(
        policy({
          wordLists: [
            { name: 'competitors', category: 'competitors', action: Action.ESCALATE, words: ['MegaMart'], direction: Direction.OUTPUT },
          ],
          allowWords: ['生日快乐'],
          rules: [rule({ patterns: ['we (will|shall) compensate'], safeReply: 'Let me check that with a colleague.' })],
        }),
      ),
    ).toEqual([]);
  });

  it('names the field of a bad regular expression, and says why', () => {
    const problems = policyViolations(policy({ rules: [rule(), rule({ name: 'b' }), rule({ name: 'c', patterns: ['ok', '(unclosed'] })] }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toBe('policy.rules[2].patterns[1]: not a valid RE2 regular expression (missing closing ): `(unclosed`)');
  });

  it('refuses patterns RE2 cannot run (backreferences, lookaround), saying why, and patterns that match everything', () => {
    expect(policyViolations(policy({ rules: [rule({ patterns: ['(a)\\1', 'refund(?! later)', '(?<=no )refund', 'x*'] })] }))).toEqual([
      'policy.rules[0].patterns[0]: not a valid RE2 regular expression (invalid escape sequence: `\\1`: backreferences are not supported (patterns run on RE2, which guarantees linear time))',
      'policy.rules[0].patterns[1]: not a valid RE2 regular expression (invalid or unsupported Perl syntax: `(?!`: lookahead and lookbehind are not supported (patterns run on RE2, which guarantees linear time); match the surrounding text instead)',
      'policy.rules[0].patterns[2]: not a valid RE2 regular expression (invalid named capture: `(?<=no )refund`: lookahead and lookbehind are not supported (patterns run on RE2, which guarantees linear time); match the surrounding text instead)',
      'policy.rules[0].patterns[3]: matches empty text, so it would fire on every message',
    ]);
  });

  it('accepts the patterns that used to backtrack catastrophically: RE2 runs them in linear time', () => {
    const slow = ['(a|a)+b', '(?:a|ab)*c', '(\\w|\\d)+!!', 'a*a*a*a*a*a*a*b', '(a+)+$'];
    expect(policyViolations(policy({ rules: [rule({ patterns: slow })] }))).toEqual([]);
    const text = `${'a'.repeat(POLICY_CHECK_TEXT - 1)}!`;
    for (const pattern of slow) {
      const started = performance.now();
      compilePattern(pattern).matches(text);
      // Under JavaScript's engine "(a|a)+b" on 40 characters alone took longer than a minute.
      expect(performance.now() - started).toBeLessThan(1000);
    }
  });

  it('names every other bad field', () => {
    expect(
      policyViolations(
        policy({
          wordLists: [
            { name: 'Bad Name', category: '', action: Action.UNSPECIFIED, words: ['ok', '...', 'a'.repeat(101)] },
            { name: 'dup', category: 'x', action: Action.BLOCK, words: [] },
          ],
          allowWords: ['fine', 'tab\u0001'],
          rules: [{ name: 'dup', action: Action.ALLOW, safeReply: 'only for block', direction: 7 as Direction }],
        }),
      ),
    ).toEqual([
      'policy.wordLists[0].name: must be 1-64 lowercase letters, digits, _ or -, starting with a letter or digit',
      'policy.wordLists[0].category: must be 1-64 lowercase letters, digits, _ or -, starting with a letter or digit (e.g. "competitors", "abuse")',
      'policy.wordLists[0].action: must be ACTION_ALLOW, ACTION_REDACT, ACTION_BLOCK or ACTION_ESCALATE',
      'policy.wordLists[0].words[1]: is empty once spaces and separators such as . - * are removed',
      'policy.wordLists[0].words[2]: must be at most 100 characters',
      'policy.wordLists[1].words: needs at least one word',
      'policy.allowWords[1]: must not contain control characters',
      'policy.rules[0].name: "dup" is already the name of policy.wordLists[1]; names must be unique across word lists and rules',
      'policy.rules[0].direction: must be DIRECTION_INPUT, DIRECTION_OUTPUT or DIRECTION_UNSPECIFIED (both)',
      'policy.rules[0]: needs at least one keyword or pattern',
      'policy.rules[0].safeReply: is only shown for ACTION_BLOCK or ACTION_ESCALATE; remove it or change the action',
    ]);
  });

  it('caps sizes', () => {
    const words = Array.from({ length: POLICY_LIMITS.wordsPerList }, (_, i) => `w${i}`);
    const lists = Array.from({ length: 5 }, (_, i) => ({ name: `l${i}`, category: 'c', action: Action.BLOCK, words }));
    expect(policyViolations(policy({ wordLists: lists }))).toEqual([
      'policy: holds 25000 words, keywords and allow words in all; at most 20000 are accepted',
    ]);
    const tooMany = policyViolations(policy({ rules: Array.from({ length: POLICY_LIMITS.rules + 1 }, (_, i) => rule({ name: `r${i}` })) }));
    expect(tooMany).toEqual([`policy.rules: holds ${POLICY_LIMITS.rules + 1} rules; at most ${POLICY_LIMITS.rules} are accepted`]);
  });
});

describe('compilePattern', () => {
  it('matches case-insensitively and reports UTF-16 offsets, as findings need', () => {
    expect(compilePattern('we (will|shall) compensate').matches('😀 we WILL compensate')).toEqual([{ start: 3, end: 21 }]);
    expect(compilePattern('\\p{Han}+').matches('ab 中文 c')).toEqual([{ start: 3, end: 5 }]);
  });
});
