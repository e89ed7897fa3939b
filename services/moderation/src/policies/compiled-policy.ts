// A tenant's policy ready to run: its list words, rule keywords and allow words in one matcher,
// its patterns compiled. Built when the tenant's revision changes, then shared by every check.
import { Action, Direction, type TenantPolicy } from '@switchboard/contracts';
import { PermanentError } from '@switchboard/messaging';
import type { FoldedText } from '../matching/text-folding';
import { outsideAllowed, WordMatcher, type Span } from '../matching/word-matcher';
import { compilePattern, PatternError, type TenantPattern } from './policy-patterns';

/** What fired, named as in findings: "policy.<list or rule name>". */
export interface PolicyFinding extends Span {
  rule: string;
  category: string;
  action: Action;
  /** The tenant's own safe reply, '' for the built-in one. */
  safeReply: string;
}

/**
 * CPU time one check may spend on a tenant's patterns (CPU, not wall time, so a busy machine does
 * not fail checks that are not themselves slow). RE2 is linear, but a policy may hold up to
 * 2,000 patterns and the moderation service has one event loop shared by every tenant: past this
 * budget the check stops and fails for this tenant only, instead of delaying everyone else's.
 * The longest a check can take is this plus one pattern (~26 ms at POLICY_LIMITS.patternSize; up to
 * ~65 ms for a pattern stored while the limit was 100 or 200, which still runs).
 */
export const PATTERN_BUDGET_MS = 200;

/** A tenant's patterns used up the check's budget; the tenant must simplify its policy. */
export class PatternBudgetError extends PermanentError {
  constructor(rule: string) {
    super(
      'RESOURCE_EXHAUSTED',
      `the tenant's moderation patterns took longer than ${PATTERN_BUDGET_MS} ms on one message (stopped at ${rule}); use fewer or simpler patterns`,
    );
  }
}

type PolicyHit = { kind: 'list'; index: number } | { kind: 'keyword'; index: number } | { kind: 'allow' };

interface Source {
  rule: string;
  category: string;
  action: Action;
  direction: Direction;
  safeReply: string;
}

const applies = (wanted: Direction, direction: Direction) => wanted === Direction.UNSPECIFIED || wanted === direction;

export class CompiledPolicy {
  private constructor(
    readonly revision: number,
    private readonly matcher: WordMatcher<PolicyHit>,
    private readonly lists: Source[],
    private readonly rules: Array<Source & { patterns: TenantPattern[] }>,
    /** Fields of stored patterns RE2 cannot run (saved before patterns ran on RE2); they are skipped. */
    readonly unusablePatterns: string[],
  ) {}

  static compile(policy: TenantPolicy, revision: number): CompiledPolicy {
    const entries: Array<{ word: string; value: PolicyHit }> = [
      ...policy.wordLists.flatMap((list, index) =>
        list.words.map((word) => ({ word, value: { kind: 'list', index } satisfies PolicyHit })),
      ),
      ...policy.rules.flatMap((rule, index) =>
        rule.keywords.map((word) => ({ word, value: { kind: 'keyword', index } satisfies PolicyHit })),
      ),
      ...policy.allowWords.map((word) => ({ word, value: { kind: 'allow' } satisfies PolicyHit })),
    ];
    const unusablePatterns: string[] = [];
    const usable = (patterns: string[], i: number): TenantPattern[] =>
      patterns.flatMap((pattern, j) => {
        try {
          return [compilePattern(pattern)];
        } catch (error) {
          if (!(error instanceof PatternError)) throw error;
          unusablePatterns.push(`policy.rules[${i}].patterns[${j}]`);
          return [];
        }
      });
    return new CompiledPolicy(
      revision,
      WordMatcher.build(entries),
      policy.wordLists.map((l) => ({
        rule: `policy.${l.name}`,
        category: l.category,
        action: l.action,
        direction: l.direction,
        safeReply: '',
      })),
      policy.rules.map((r, i) => ({
        rule: `policy.${r.name}`,
        category: 'compliance',
        action: r.action,
        direction: r.direction,
        safeReply: r.safeReply,
        patterns: usable(r.patterns, i),
      })),
      unusablePatterns,
    );
  }

  /**
   * The tenant's findings for this message, and the spans of its allow words, which also silence
   * the built-in lists. Allow words silence list words, not rules: a rule is a deliberate check.
   */
  scan(text: FoldedText, direction: Direction): { findings: PolicyFinding[]; allowed: Span[] } {
    const listed: PolicyFinding[] = [];
    const findings: PolicyFinding[] = [];
    const allowed: Span[] = [];
    const finding = (source: Source, start: number, end: number): PolicyFinding => ({
      rule: source.rule,
      category: source.category,
      action: source.action,
      safeReply: source.safeReply,
      start,
      end,
    });
    for (const { start, end, value } of this.matcher.find(text)) {
      if (value.kind === 'allow') allowed.push({ start, end });
      else if (value.kind === 'list' && applies(this.lists[value.index].direction, direction))
        listed.push(finding(this.lists[value.index], start, end));
      else if (value.kind === 'keyword' && applies(this.rules[value.index].direction, direction))
        findings.push(finding(this.rules[value.index], start, end));
    }
    const started = process.cpuUsage();
    const spentMs = () => {
      const used = process.cpuUsage(started);
      return (used.user + used.system) / 1000;
    };
    for (const rule of this.rules) {
      if (!applies(rule.direction, direction)) continue;
      for (const pattern of rule.patterns) {
        if (spentMs() > PATTERN_BUDGET_MS) throw new PatternBudgetError(rule.rule);
        for (const { start, end } of pattern.matches(text.folded))
          findings.push(finding(rule, text.foldedStart[start], text.foldedEnd[end - 1]));
      }
    }
    return { findings: [...outsideAllowed(listed, allowed), ...findings], allowed };
  }
}
