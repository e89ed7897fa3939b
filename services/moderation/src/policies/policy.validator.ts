// Checks a tenant's policy before it is stored. Every problem names its field, e.g.
// "policy.rules[2].patterns[0]: not a valid regular expression (…)", and sizes are capped so one
// tenant's policy cannot slow down its own checks or fill the database.
import { Action, Direction, type TenantPolicy } from '@switchboard/contracts';
import { foldWord } from '../matching/text-folding';
import { compilePattern, PatternError, type TenantPattern } from './policy-patterns';

export const POLICY_LIMITS = {
  wordLists: 20,
  wordsPerList: 5_000,
  allowWords: 2_000,
  rules: 100,
  keywordsPerRule: 500,
  patternsPerRule: 20,
  /** Words, keywords and allow words together. */
  totalWords: 20_000,
  wordLength: 100,
  patternLength: 500,
  /**
   * RE2 program size per pattern, which bounds one pattern's time on the longest checked text
   * (16,000 characters): about 0.4 ms per unit there (median of 9 on a quiet machine: 26-29 ms at
   * 64, 36-41 ms at 100), so under test/redos.spec.ts's 50 ms with room for a busy machine's noise.
   */
  patternSize: 64,
  safeReplyLength: 1_000,
};

const NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const NAME_PROBLEM = 'must be 1-64 lowercase letters, digits, _ or -, starting with a letter or digit';
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const ACTIONS = [Action.ALLOW, Action.REDACT, Action.BLOCK, Action.ESCALATE];
const ACTION_PROBLEM = 'must be ACTION_ALLOW, ACTION_REDACT, ACTION_BLOCK or ACTION_ESCALATE';
const DIRECTIONS = [Direction.UNSPECIFIED, Direction.INPUT, Direction.OUTPUT];
const DIRECTION_PROBLEM = 'must be DIRECTION_INPUT, DIRECTION_OUTPUT or DIRECTION_UNSPECIFIED (both)';
const MAX_REPORTED = 25;

class Problems {
  readonly list: string[] = [];
  add(field: string, problem: string): void {
    this.list.push(`${field}: ${problem}`);
  }
}

function checkWords(problems: Problems, field: string, words: string[], max: number): void {
  if (words.length > max) problems.add(field, `holds ${words.length} entries; at most ${max} are accepted`);
  words.slice(0, max).forEach((word, i) => {
    if ([...word].length > POLICY_LIMITS.wordLength)
      problems.add(`${field}[${i}]`, `must be at most ${POLICY_LIMITS.wordLength} characters`);
    else if (CONTROL.test(word)) problems.add(`${field}[${i}]`, 'must not contain control characters');
    else if (foldWord(word) === '') problems.add(`${field}[${i}]`, 'is empty once spaces and separators such as . - * are removed');
  });
}

function checkPattern(problems: Problems, field: string, pattern: string): void {
  if (pattern.length > POLICY_LIMITS.patternLength) return problems.add(field, `must be at most ${POLICY_LIMITS.patternLength} characters`);
  let regex: TenantPattern;
  try {
    regex = compilePattern(pattern);
  } catch (error) {
    if (!(error instanceof PatternError)) throw error;
    return problems.add(field, `not a valid RE2 regular expression (${error.message})`);
  }
  if (regex.size > POLICY_LIMITS.patternSize) {
    return problems.add(
      field,
      `is too costly to run on every message (RE2 program size ${regex.size}; at most ${POLICY_LIMITS.patternSize}): use smaller repetition counts than {1,32} or fewer alternatives`,
    );
  }
  if (regex.test('')) problems.add(field, 'matches empty text, so it would fire on every message');
}

export function policyViolations(policy: TenantPolicy): string[] {
  const problems = new Problems();
  const names = new Map<string, string>();
  const checkName = (field: string, name: string) => {
    if (!NAME.test(name)) return problems.add(`${field}.name`, NAME_PROBLEM);
    const owner = names.get(name);
    if (owner) problems.add(`${field}.name`, `"${name}" is already the name of ${owner}; names must be unique across word lists and rules`);
    else names.set(name, field);
  };

  if (policy.wordLists.length > POLICY_LIMITS.wordLists)
    problems.add('policy.wordLists', `holds ${policy.wordLists.length} lists; at most ${POLICY_LIMITS.wordLists} are accepted`);
  policy.wordLists.slice(0, POLICY_LIMITS.wordLists).forEach((list, i) => {
    const field = `policy.wordLists[${i}]`;
    checkName(field, list.name);
    if (!NAME.test(list.category)) problems.add(`${field}.category`, `${NAME_PROBLEM} (e.g. "competitors", "abuse")`);
    if (!ACTIONS.includes(list.action)) problems.add(`${field}.action`, ACTION_PROBLEM);
    if (!DIRECTIONS.includes(list.direction)) problems.add(`${field}.direction`, DIRECTION_PROBLEM);
    if (list.words.length === 0) problems.add(`${field}.words`, 'needs at least one word');
    checkWords(problems, `${field}.words`, list.words, POLICY_LIMITS.wordsPerList);
  });

  checkWords(problems, 'policy.allowWords', policy.allowWords, POLICY_LIMITS.allowWords);

  if (policy.rules.length > POLICY_LIMITS.rules)
    problems.add('policy.rules', `holds ${policy.rules.length} rules; at most ${POLICY_LIMITS.rules} are accepted`);
  policy.rules.slice(0, POLICY_LIMITS.rules).forEach((rule, i) => {
    const field = `policy.rules[${i}]`;
    checkName(field, rule.name);
    if (!ACTIONS.includes(rule.action)) problems.add(`${field}.action`, ACTION_PROBLEM);
    if (!DIRECTIONS.includes(rule.direction)) problems.add(`${field}.direction`, DIRECTION_PROBLEM);
    if (rule.keywords.length === 0 && rule.patterns.length === 0) problems.add(field, 'needs at least one keyword or pattern');
    checkWords(problems, `${field}.keywords`, rule.keywords, POLICY_LIMITS.keywordsPerRule);
    if (rule.patterns.length > POLICY_LIMITS.patternsPerRule)
      problems.add(`${field}.patterns`, `holds ${rule.patterns.length} patterns; at most ${POLICY_LIMITS.patternsPerRule} are accepted`);
    rule.patterns
      .slice(0, POLICY_LIMITS.patternsPerRule)
      .forEach((pattern, j) => checkPattern(problems, `${field}.patterns[${j}]`, pattern));
    if ([...rule.safeReply].length > POLICY_LIMITS.safeReplyLength)
      problems.add(`${field}.safeReply`, `must be at most ${POLICY_LIMITS.safeReplyLength} characters`);
    else if (rule.safeReply !== '' && rule.action !== Action.BLOCK && rule.action !== Action.ESCALATE) {
      problems.add(`${field}.safeReply`, 'is only shown for ACTION_BLOCK or ACTION_ESCALATE; remove it or change the action');
    }
  });

  const total = countWords(policy);
  if (total > POLICY_LIMITS.totalWords)
    problems.add('policy', `holds ${total} words, keywords and allow words in all; at most ${POLICY_LIMITS.totalWords} are accepted`);

  const reported = problems.list.slice(0, MAX_REPORTED);
  if (problems.list.length > MAX_REPORTED) reported.push(`… and ${problems.list.length - MAX_REPORTED} more problems`);
  return reported;
}

/** Words, keywords and allow words together. */
function countWords(policy: TenantPolicy): number {
  return (
    policy.wordLists.reduce((n, l) => n + l.words.length, 0) +
    policy.rules.reduce((n, r) => n + r.keywords.length, 0) +
    policy.allowWords.length
  );
}
