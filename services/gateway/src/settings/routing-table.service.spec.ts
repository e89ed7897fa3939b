// The bodies of PUT /v1/departments and PUT /v1/routing-rules: the whole list or {"builtIn": true};
// anything malformed is refused, naming the field (which department exists is ticketing's to say).
import { parseDepartments, parseRoutingRules } from './routing-table.service';

const refusal = (parse: () => unknown): string => {
  try {
    parse();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected a refusal');
};

describe('parseDepartments', () => {
  it('accepts the whole list, or the built-in set', () => {
    expect(parseDepartments({ departments: [{ id: 'customer-support', name: ' Support ' }] })).toEqual([
      { id: 'customer-support', name: 'Support' },
    ]);
    expect(parseDepartments({ builtIn: true })).toBeUndefined();
  });

  it('names each wrong department field', () => {
    expect(refusal(() => parseDepartments({ departments: [{ id: 'Billing Desk', name: 'x' }] }))).toContain('departments[0].id must be');
    expect(
      refusal(() =>
        parseDepartments({
          departments: [
            { id: 'a', name: 'x' },
            { id: 'a', name: 'y' },
          ],
        }),
      ),
    ).toContain('departments[1].id repeats "a"');
    expect(refusal(() => parseDepartments({ departments: [{ id: 'a', name: 'x'.repeat(201) }] }))).toContain(
      'departments[0].name must be at most 200 characters',
    );
    expect(refusal(() => parseDepartments({ departments: [{ id: 'a' }] }))).toBe('departments[0].name is required: a text');
    expect(refusal(() => parseDepartments({ departments: [] }))).toContain('departments must list at least one department');
    expect(refusal(() => parseDepartments({}))).toContain('departments is required');
    expect(refusal(() => parseDepartments({ builtIn: true, departments: [] }))).toContain('departments must not be sent with builtIn');
  });
});

describe('parseRoutingRules', () => {
  it('accepts ordered rules (missing lists and null department or priority: none), or the built-in set', () => {
    expect(parseRoutingRules({ rules: [{ tiers: ['VIP'], priority: 'high', department: null }] })).toEqual([
      { intents: [], reasons: [], locales: [], tiers: ['vip'], department: '', priority: 'high' },
    ]);
    expect(parseRoutingRules({ builtIn: true })).toBeUndefined();
  });

  it('names each wrong rule field', () => {
    for (const [rule, message] of [
      [{ department: 'a', priority: 'asap' }, 'rules[0].priority must be one of low, normal, high, urgent'],
      [{ department: 'A B' }, 'rules[0].department must be a department id'],
      [{ intents: 'refund', department: 'a' }, 'rules[0].intents must be a list of texts'],
      [{ locales: ['zh', 'not a locale'], department: 'a' }, 'rules[0].locales[1] must be a language tag'],
      [{ intents: Array.from({ length: 51 }, (_, i) => `i${i}`), department: 'a' }, 'rules[0].intents must list at most 50 values'],
      [{ intents: ['refund_status'] }, 'rules[0] must set a department, a priority or both'],
      [{ department: 'a', team: 'x' }, 'rules[0].team is not a field of a rule'],
    ] as const)
      expect(refusal(() => parseRoutingRules({ rules: [rule] }))).toContain(message);
    expect(refusal(() => parseRoutingRules({ rules: [] }))).toContain('rules must list at least one rule');
  });
});
