// A tenant's departments and routing rules through the admin REST API and every service: an
// admin's rules route the very next hand-off; a rule naming a department the tenant lacks, or the
// removal of a department a rule names or open tickets are in, is refused naming the field and
// changes nothing; only admins may read or change them; another tenant's stay as they were.
import { randomUUID } from 'node:crypto';
import { waitFor } from '@switchboard/testing';
import { DEFAULT_DEPARTMENTS, DEFAULT_RULES } from '../../services/ticketing/src/routing/routing-rules';
import { DEMO_TENANT, startTestStack, type TestStack } from '../support/test-stack';

type As = { headers: Record<string, string> };

const RUN = randomUUID().slice(0, 8);
const BILLING = { id: 'billing', name: 'Billing and invoices' };
const RULES = [
  { intents: [], reasons: ['customer_asked'], locales: ['en'], tiers: [], department: 'billing', priority: 'urgent' },
  { intents: ['order_status'], reasons: [], locales: [], tiers: ['VIP'], department: null, priority: 'high' },
];

describe('departments and routing rules', () => {
  let t: TestStack;
  let admin: As;
  let agent: As;
  let rivalKey: string;

  beforeAll(async () => {
    t = await startTestStack();
    admin = { headers: (await t.signIn(DEMO_TENANT, 'ada', 'admin')).headers };
    agent = { headers: (await t.signIn(DEMO_TENANT, 'lee', 'agent')).headers };
    rivalKey = await t.createTenant(`rival-${RUN}`, ['kb:admin']);
  }, 240_000);

  afterAll(async () => {
    await t?.close();
  });

  const ticketOf = (conversationId: string) =>
    waitFor(
      async () =>
        (await t.db.query('select department, priority from ticketing.tickets where conversation_id = $1', [conversationId])).rows[0] as
          { department: string; priority: string } | undefined,
      'the hand-off ticket',
    );

  it('starts from the built-in set', async () => {
    const rules = await t.rest('GET', '/v1/routing-rules', admin);
    expect(rules.status).toBe(200);
    expect(rules.body.builtIn).toBe(true);
    expect(rules.body.rules).toHaveLength(DEFAULT_RULES.length);
    expect(rules.body.rules[0]).toEqual({
      intents: [],
      reasons: ['moderation', 'frustration'],
      locales: [],
      tiers: [],
      department: 'escalations',
      priority: 'high',
    });
    const departments = await t.rest('GET', '/v1/departments', admin);
    expect(departments.body).toEqual({ departments: DEFAULT_DEPARTMENTS, builtIn: true });
  });

  it("refuses a rule naming a department the tenant lacks, naming the rule's field, and stores nothing", async () => {
    const refused = await t.rest('PUT', '/v1/routing-rules', { ...admin, json: { rules: [RULES[1], RULES[0]] } });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toMatch(/^rules\[1\]\.department "billing" is not one of this tenant's departments/);
    const malformed = await t.rest('PUT', '/v1/routing-rules', {
      ...admin,
      json: { rules: [{ ...RULES[0], priority: 'asap', locales: ['english please'] }] },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.message).toContain('rules[0].priority must be one of low, normal, high, urgent');
    expect(malformed.body.error.message).toContain('rules[0].locales[0] must be a language tag');
    const badDepartment = await t.rest('PUT', '/v1/departments', { ...admin, json: { departments: [{ id: 'Billing Desk', name: '' }] } });
    expect(badDepartment.status).toBe(400);
    expect(badDepartment.body.error.message).toContain('departments[0].id must be 1-64 lowercase letters, digits or dashes');
    expect(badDepartment.body.error.message).toContain('departments[0].name is required');
    expect((await t.rest('GET', '/v1/routing-rules', admin)).body.builtIn).toBe(true);
    expect((await t.rest('GET', '/v1/departments', admin)).body.builtIn).toBe(true);
  });

  it("routes the next hand-off by the admin's rules", async () => {
    const departments = await t.rest('PUT', '/v1/departments', {
      ...admin,
      json: { departments: [...DEFAULT_DEPARTMENTS, BILLING] },
    });
    expect(departments.status).toBe(200);
    expect(departments.body.builtIn).toBe(false);
    expect(departments.body.departments.map((d: { id: string }) => d.id)).toContain('billing');
    const put = await t.rest('PUT', '/v1/routing-rules', { ...admin, json: { rules: RULES } });
    expect(put.status).toBe(200);
    // Stored in order, tiers as routing compares them (lowercased).
    expect(put.body).toEqual({ builtIn: false, rules: [RULES[0], { ...RULES[1], tiers: ['vip'] }] });
    expect((await t.rest('GET', '/v1/routing-rules', admin)).body).toEqual(put.body);

    const c = await t.say(`cust-routed-${RUN}`, undefined, 'I want to talk to a human agent');
    expect(c.handoff?.reason).toBe('customer_asked');
    expect(await ticketOf(c.conversationId)).toEqual({ department: 'billing', priority: 'urgent' });
  });

  it('keeps a department a rule names or open tickets are in', async () => {
    const refused = await t.rest('PUT', '/v1/departments', { ...admin, json: { departments: DEFAULT_DEPARTMENTS } });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain('departments would remove "billing", which rules[0].department still names');
    expect(refused.body.error.message).toContain('departments would remove "billing", which 1 open tickets are in');

    // Back to the built-in rules: no rule names billing any more, but its ticket is still open.
    const builtIn = await t.rest('PUT', '/v1/routing-rules', { ...admin, json: { builtIn: true } });
    expect(builtIn.status).toBe(200);
    expect(builtIn.body).toMatchObject({ builtIn: true, rules: expect.arrayContaining([]) });
    expect(builtIn.body.rules).toHaveLength(DEFAULT_RULES.length);
    const stillOpen = await t.rest('PUT', '/v1/departments', { ...admin, json: { builtIn: true } });
    expect(stillOpen.status).toBe(400);
    expect(stillOpen.body.error.message).toMatch(/^builtIn would remove "billing", which 1 open tickets are in/);
    expect((await t.rest('GET', '/v1/departments', admin)).body.departments.map((d: { id: string }) => d.id)).toContain('billing');
  });

  it('lets only admins read or change them', async () => {
    expect((await t.rest('GET', '/v1/routing-rules', agent)).status).toBe(403);
    expect((await t.rest('PUT', '/v1/routing-rules', { ...agent, json: { builtIn: true } })).status).toBe(403);
    expect((await t.rest('GET', '/v1/departments', agent)).status).toBe(403);
    expect((await t.rest('PUT', '/v1/departments', { ...agent, json: { builtIn: true } })).status).toBe(403);
    const chatKey = await t.createApiKey(DEMO_TENANT, ['chat']);
    expect((await t.rest('PUT', '/v1/routing-rules', { key: chatKey, json: { builtIn: true } })).status).toBe(403);
  });

  it("leaves another tenant's rules and departments as they were", async () => {
    const rival = await t.rest('GET', '/v1/departments', { key: rivalKey });
    expect(rival.body.builtIn).toBe(true);
    expect(rival.body.departments.map((d: { id: string }) => d.id)).not.toContain('billing');
    // The rival's own rules name its own department; the demo tenant's stay as set.
    await t.rest('PUT', '/v1/departments', {
      key: rivalKey,
      json: { departments: [...DEFAULT_DEPARTMENTS, { id: 'rival-desk', name: 'Rival' }] },
    });
    const rivalRules = await t.rest('PUT', '/v1/routing-rules', {
      key: rivalKey,
      json: { rules: [{ reasons: ['customer_asked'], department: 'rival-desk' }] },
    });
    expect(rivalRules.status).toBe(200);
    expect((await t.rest('GET', '/v1/routing-rules', admin)).body.rules).toHaveLength(DEFAULT_RULES.length);
    expect((await t.rest('GET', '/v1/departments', admin)).body.departments.map((d: { id: string }) => d.id)).not.toContain('rival-desk');
  });

  it('audits every change and refusal', async () => {
    const entries = (): Promise<Array<{ event: { action: string; outcome: string } }>> =>
      t.rest('GET', '/v1/audit?action=routing.rules.put', admin).then((r) => r.body.entries);
    // The refused rules (unknown department, malformed), the admin's rules, the built-in set again.
    const puts = await waitFor(async () => ((await entries()).length >= 4 ? await entries() : undefined), 'the audited rule changes');
    expect(puts.map((e) => e.event.outcome).sort()).toEqual(['ok', 'ok', 'refused', 'refused']);
  });
});
