// Where a hand-off's ticket goes and how urgent it is, from what the conversation knew (intent,
// hand-off reason, locale, customer tier). A tenant's own rules replace the built-in set.
import { TICKET_PRIORITIES, type TicketPriority } from '@switchboard/contracts';

export const PRIORITIES = TICKET_PRIORITIES;
export type Priority = TicketPriority;

export interface RoutingRule {
  /** Each list restricts the rule to those values; an empty list matches anything. */
  intents: string[];
  reasons: string[];
  /** Language subtags ("zh") or full tags ("zh-TW"), matched case-insensitively. */
  locales: string[];
  tiers: string[];
  department?: string;
  priority?: Priority;
}

export interface HandoffFacts {
  intent: string;
  reason: string;
  locale: string;
  tier: string;
}

export interface Route {
  department: string;
  priority: Priority;
}

export interface Department {
  id: string;
  name: string;
}

export const FALLBACK_DEPARTMENT = 'customer-support';

export const DEFAULT_DEPARTMENTS: Department[] = [
  { id: 'customer-support', name: 'Customer support' },
  { id: 'orders', name: 'Orders, returns and exchanges' },
  { id: 'escalations', name: 'Escalations' },
  { id: 'support-zh', name: 'Chinese-language support' },
];

const rule = (fields: Partial<RoutingRule>): RoutingRule => ({ intents: [], reasons: [], locales: [], tiers: [], ...fields });

/** The intents of the built-in retail set that are about a customer's orders. */
const ORDER_INTENTS = [
  'order_status',
  'cancel_order',
  'modify_order',
  'change_address',
  'change_payment',
  'return_item',
  'exchange_item',
  'refund_status',
];

export const DEFAULT_RULES: RoutingRule[] = [
  // An abusive or angry conversation needs a senior person, whatever it is about.
  rule({ reasons: ['moderation', 'frustration'], department: 'escalations', priority: 'high' }),
  rule({ reasons: ['system_unavailable'], priority: 'high' }),
  // Language before topic: an order question in Chinese needs someone who reads Chinese.
  rule({ locales: ['zh'], department: 'support-zh' }),
  rule({ intents: ORDER_INTENTS, department: 'orders' }),
  rule({ tiers: ['vip'], priority: 'high' }),
];

const rank = (priority: Priority) => PRIORITIES.indexOf(priority);

function localeMatches(wanted: string[], locale: string): boolean {
  const tag = locale.toLowerCase().replace(/_/g, '-');
  const language = tag.split('-')[0];
  return wanted.some((w) => w.toLowerCase() === tag || w.toLowerCase() === language);
}

function matches(rule: RoutingRule, facts: HandoffFacts): boolean {
  return (
    (rule.intents.length === 0 || rule.intents.includes(facts.intent)) &&
    (rule.reasons.length === 0 || rule.reasons.includes(facts.reason)) &&
    (rule.locales.length === 0 || localeMatches(rule.locales, facts.locale)) &&
    (rule.tiers.length === 0 || rule.tiers.includes(facts.tier.toLowerCase()))
  );
}

/** The first matching rule with a department decides it; the most urgent matching priority wins. */
export function route(facts: HandoffFacts, rules: RoutingRule[]): Route {
  let department: string | undefined;
  let priority: Priority = 'normal';
  for (const r of rules) {
    if (!matches(r, facts)) continue;
    department ??= r.department;
    if (r.priority && rank(r.priority) > rank(priority)) priority = r.priority;
  }
  return { department: department ?? FALLBACK_DEPARTMENT, priority };
}
