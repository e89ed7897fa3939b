// A tenant's policy ready to run: its list words, rule keywords and allow words in one matcher,
// its patterns compiled. Built when the tenant's revision changes, then shared by every check.
import { Action, Direction, type TenantPolicy } from '@switchboard/contracts';
import type { FoldedText } from '../matching/text-folding';
import { outsideAllowed, WordMatcher, type Span } from '../matching/word-matcher';
import { compilePattern } from './policy-patterns';

/** What fired, named as in findings: "policy.<list or rule name>". */
export interface PolicyFinding extends Span {
  rule: string;
  category: string;
  action: Action;
  /** The tenant's own safe reply, '' for the built-in one. */
  safeReply: string;
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
    private readonly rules: Array<Source & { patterns: RegExp[] }>,
  ) {}

  static compile(policy: TenantPolicy, revision: number): CompiledPolicy {
    const entries = [
      ...policy.wordLists.flatMap((list, index) => list.words.map((word) => ({ word, value: { kind: 'list', index } as PolicyHit }))),
      ...policy.rules.flatMap((rule, index) => rule.keywords.map((word) => ({ word, value: { kind: 'keyword', index } as PolicyHit }))),
      ...policy.allowWords.map((word) => ({ word, value: { kind: 'allow' } as PolicyHit })),
    ];
    return new CompiledPolicy(
      revision,
      WordMatcher.build(entries),
      policy.wordLists.map((l) => ({ rule: `policy.${l.name}`, category: l.category, action: l.action, direction: l.direction, safeReply: '' })),
      policy.rules.map((r) => ({ rule: `policy.${r.name}`, category: 'compliance', action: r.action, direction: r.direction, safeReply: r.safeReply, patterns: r.patterns.map(compilePattern) })),
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
      rule: source.rule, category: source.category, action: source.action, safeReply: source.safeReply, start, end,
    });
    for (const { start, end, value } of this.matcher.find(text)) {
      if (value.kind === 'allow') allowed.push({ start, end });
      else if (value.kind === 'list' && applies(this.lists[value.index].direction, direction)) listed.push(finding(this.lists[value.index], start, end));
      else if (value.kind === 'keyword' && applies(this.rules[value.index].direction, direction)) findings.push(finding(this.rules[value.index], start, end));
    }
    for (const rule of this.rules) {
      if (!applies(rule.direction, direction)) continue;
      for (const pattern of rule.patterns) {
        for (const match of text.folded.matchAll(pattern)) {
          const from = match.index ?? 0;
          const to = from + match[0].length;
          if (to > from) findings.push(finding(rule, text.foldedStart[from], text.foldedEnd[to - 1]));
        }
      }
    }
    return { findings: [...outsideAllowed(listed, allowed), ...findings], allowed };
  }
}
