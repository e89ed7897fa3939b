// Decides what happens to one message, without I/O: PII is redacted from customer input and keeps
// a reply from going out; prompt injection in input is refused; built-in list words and the
// tenant's own lists and rules fire with their actions. The result's action is the strictest
// finding's; a blocked or escalated message carries a safe reply in the customer's language.
import { Action, CheckResultSchema, create, Direction, type CheckResult } from '@switchboard/contracts';
import { CATEGORIES } from '../lists/categories';
import type { BuiltInLists } from '../lists/built-in-lists';
import { foldText } from '../matching/text-folding';
import type { CompiledPolicy } from '../policies/compiled-policy';
import { detectInjection } from './injection-detector';
import { applyRedactions, findPii, type Redaction } from '@switchboard/text';
import { languageOf, safeReply, type ReplyKind } from './safe-replies';

interface Hit {
  rule: string;
  category: string;
  start: number;
  end: number;
  action: Action;
  /** A tenant's own reply, which wins over the built-in ones. */
  customReply?: string;
  reply: ReplyKind;
}

const SEVERITY: Record<Action, number> = {
  [Action.UNSPECIFIED]: 0,
  [Action.ALLOW]: 1,
  [Action.REDACT]: 2,
  [Action.BLOCK]: 3,
  [Action.ESCALATE]: 4,
};
// When several findings share the deciding action, the reply for the most serious situation wins.
const REPLY_ORDER: ReplyKind[] = ['support', 'handoff', 'injection', 'abuse', 'content', 'output'];

export function checkMessage(request: { direction: Direction; text: string }, lists: BuiltInLists, policy?: CompiledPolicy): CheckResult {
  const input = request.direction === Direction.INPUT;
  const text = foldText(request.text);
  const hits: Hit[] = [];

  const pii = findPii(request.text);
  // A reply must never carry personal data; customer input continues with placeholders.
  for (const f of pii)
    hits.push({ rule: f.rule, category: 'pii', start: f.start, end: f.end, action: input ? Action.REDACT : Action.BLOCK, reply: 'output' });
  if (input) {
    for (const f of detectInjection(text)) hits.push({ ...f, category: 'injection', action: Action.BLOCK, reply: 'injection' });
  }
  const tenant = policy?.scan(text, request.direction) ?? { findings: [], allowed: [] };
  for (const f of tenant.findings) {
    hits.push({
      ...f,
      customReply: f.safeReply || undefined,
      reply: f.action === Action.ESCALATE ? 'handoff' : input ? 'content' : 'output',
    });
  }
  for (const m of lists.find(text, request.direction, tenant.allowed)) {
    const category = CATEGORIES[m.category];
    hits.push({
      rule: `words.${m.category}`,
      category: m.category,
      start: m.start,
      end: m.end,
      action: category.action,
      reply: input ? category.reply : 'output',
    });
  }

  const kept = withoutNested(hits);
  const action = kept.reduce((strictest, h) => (SEVERITY[h.action] > SEVERITY[strictest] ? h.action : strictest), Action.ALLOW);
  const redactions: Redaction[] = [
    ...pii,
    // Besides PII, only a tenant's lists and rules can ask for redaction.
    ...kept
      .filter((h) => h.action === Action.REDACT && h.rule.startsWith('policy.'))
      .map((h) => ({ start: h.start, end: h.end, placeholder: '[REDACTED]' })),
  ];
  const result = create(CheckResultSchema, {
    action,
    text: applyRedactions(request.text, redactions),
    findings: kept
      .sort((a, b) => a.start - b.start || compareText(a.rule, b.rule))
      .map((h) => ({ rule: h.rule, category: h.category, start: h.start, end: h.end, action: h.action })),
  });
  if (action === Action.BLOCK || action === Action.ESCALATE) {
    const deciding = kept.filter((h) => h.action === action).sort((a, b) => replyRank(a) - replyRank(b))[0];
    result.safeReply = deciding.customReply ?? safeReply(deciding.reply, languageOf(request.text));
  }
  return result;
}

// Ordinal, not localeCompare: a message can carry thousands of findings.
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function replyRank(hit: Hit): number {
  return hit.customReply ? -1 : REPLY_ORDER.indexOf(hit.reply);
}

/** Drops a finding when another of the same rule covers its span ("成人电影" inside "成人电影网"). */
function withoutNested(hits: Hit[]): Hit[] {
  // By rule, then start, longest first: anything covering a hit comes before it.
  const ordered = [...hits].sort((a, b) => compareText(a.rule, b.rule) || a.start - b.start || b.end - a.end);
  let rule = '';
  let reach = -1;
  return ordered.filter((h) => {
    if (h.rule !== rule) {
      rule = h.rule;
      reach = -1;
    }
    const covered = h.end <= reach;
    reach = Math.max(reach, h.end);
    return !covered;
  });
}
