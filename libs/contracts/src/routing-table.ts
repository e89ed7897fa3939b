// The field checks of a tenant's departments and routing rules, shared by the gateway (which names
// each wrong field in its 400) and the request-reply topics that carry them to ticketing (which
// check again). Whether a rule's department exists is ticketing's to say: it holds the departments.
import { FieldRules, type FieldViolation } from './validation';

export const TICKET_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];

export const DEPARTMENT_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;
export const MAX_DEPARTMENTS = 100;
export const MAX_DEPARTMENT_NAME = 200;
export const MAX_ROUTING_RULES = 100;
/** Values of one condition of a rule (intents, reasons, locales or tiers). */
export const MAX_RULE_VALUES = 50;
const MAX_VALUE = 64;
/** A language subtag with optional region or script ("zh", "zh-TW", "zh-Hant-TW"). */
const LOCALE = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
/** Intents, reasons and tiers as the rest of the system writes them ("order_status", "vip"). */
const TOKEN = /^[a-z0-9][a-z0-9_.-]*$/;

export interface DepartmentFields {
  id: string;
  name: string;
}

export interface RoutingRuleFields {
  intents: string[];
  reasons: string[];
  locales: string[];
  tiers: string[];
  department: string;
  priority: string;
}

export function departmentViolations(departments: DepartmentFields[]): FieldViolation[] {
  const r = new FieldRules();
  r.check('departments', departments.length >= 1, 'must list at least one department');
  r.check('departments', departments.length <= MAX_DEPARTMENTS, `must list at most ${MAX_DEPARTMENTS} departments`);
  const seen = new Set<string>();
  departments.forEach((d, i) => {
    r.check(`departments[${i}].id`, DEPARTMENT_ID.test(d.id), 'must be 1-64 lowercase letters, digits or dashes');
    r.check(`departments[${i}].id`, !seen.has(d.id), `repeats "${d.id}"; ids must be unique`);
    seen.add(d.id);
    r.text(`departments[${i}].name`, d.name, MAX_DEPARTMENT_NAME);
  });
  return r.violations;
}

function valuesViolations(r: FieldRules, field: string, values: string[], pattern: RegExp, problem: string): void {
  r.check(field, values.length <= MAX_RULE_VALUES, `must list at most ${MAX_RULE_VALUES} values`);
  values.forEach((v, j) => r.check(`${field}[${j}]`, v.length <= MAX_VALUE && pattern.test(v), problem));
}

export function ruleViolations(rules: RoutingRuleFields[]): FieldViolation[] {
  const r = new FieldRules();
  r.check('rules', rules.length >= 1, 'must list at least one rule (send {"builtIn": true} for the built-in set)');
  r.check('rules', rules.length <= MAX_ROUTING_RULES, `must list at most ${MAX_ROUTING_RULES} rules`);
  rules.forEach((rule, i) => {
    const at = `rules[${i}]`;
    const token = 'must be up to 64 lowercase letters, digits, _ . or -';
    valuesViolations(r, `${at}.intents`, rule.intents, TOKEN, token);
    valuesViolations(r, `${at}.reasons`, rule.reasons, TOKEN, token);
    valuesViolations(r, `${at}.locales`, rule.locales, LOCALE, 'must be a language tag such as "zh" or "zh-TW"');
    valuesViolations(r, `${at}.tiers`, rule.tiers, TOKEN, token);
    if (rule.department !== '')
      r.check(`${at}.department`, DEPARTMENT_ID.test(rule.department), 'must be a department id (lowercase letters, digits or dashes)');
    if (rule.priority !== '')
      r.check(
        `${at}.priority`,
        (TICKET_PRIORITIES as readonly string[]).includes(rule.priority),
        `must be one of ${TICKET_PRIORITIES.join(', ')}`,
      );
    // A rule that sets nothing would change no hand-off: surely a mistake.
    r.check(at, rule.department !== '' || rule.priority !== '', 'must set a department, a priority or both');
  });
  return r.violations;
}
