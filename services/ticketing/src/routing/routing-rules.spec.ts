import { DEFAULT_RULES, route, type HandoffFacts, type RoutingRule } from './routing-rules';
import { dueAt, parseSlaMinutes } from './sla';

const facts = (f: Partial<HandoffFacts>): HandoffFacts => ({ intent: '', reason: 'customer_asked', locale: 'en-US', tier: '', ...f });

describe('routing a hand-off with the built-in rules', () => {
  it('sends order, return and exchange questions to orders', () => {
    for (const intent of ['order_status', 'return_item', 'exchange_item'])
      expect(route(facts({ intent }), DEFAULT_RULES)).toEqual({ department: 'orders', priority: 'normal' });
  });

  it('sends moderation and frustration to escalations at high priority, whatever the topic', () => {
    expect(route(facts({ reason: 'moderation', intent: 'order_status' }), DEFAULT_RULES)).toEqual({
      department: 'escalations',
      priority: 'high',
    });
    expect(route(facts({ reason: 'frustration' }), DEFAULT_RULES)).toEqual({ department: 'escalations', priority: 'high' });
  });

  it('sends Chinese-speaking customers to support-zh, also about orders', () => {
    expect(route(facts({ locale: 'zh-CN', intent: 'order_status' }), DEFAULT_RULES).department).toBe('support-zh');
    expect(route(facts({ locale: 'zh' }), DEFAULT_RULES).department).toBe('support-zh');
  });

  it('falls back to customer-support at normal priority', () => {
    expect(route(facts({ intent: 'product_info' }), DEFAULT_RULES)).toEqual({ department: 'customer-support', priority: 'normal' });
    expect(route(facts({ locale: '' }), DEFAULT_RULES)).toEqual({ department: 'customer-support', priority: 'normal' });
  });

  it('raises a vip customer to high priority without changing the department', () => {
    expect(route(facts({ tier: 'VIP', intent: 'return_item' }), DEFAULT_RULES)).toEqual({ department: 'orders', priority: 'high' });
  });

  it('treats an outage as high priority', () => {
    expect(route(facts({ reason: 'system_unavailable' }), DEFAULT_RULES).priority).toBe('high');
  });
});

describe("routing with a tenant's own rules", () => {
  const rules: RoutingRule[] = [
    { intents: [], reasons: [], locales: [], tiers: ['gold'], priority: 'urgent' },
    { intents: ['refund_status'], reasons: [], locales: [], tiers: [], department: 'billing', priority: 'low' },
    { intents: [], reasons: [], locales: [], tiers: [], department: 'front-desk' },
  ];

  it('takes the department of the first matching rule and the most urgent matching priority', () => {
    expect(route(facts({ intent: 'refund_status' }), rules)).toEqual({ department: 'billing', priority: 'normal' });
    expect(route(facts({ intent: 'refund_status', tier: 'gold' }), rules)).toEqual({ department: 'billing', priority: 'urgent' });
    expect(route(facts({ intent: 'greeting' }), rules)).toEqual({ department: 'front-desk', priority: 'normal' });
  });
});

describe('SLA due times', () => {
  it('adds the minutes of the priority', () => {
    const sla = parseSlaMinutes('urgent=15, high=60, normal=240, low=1440');
    expect(dueAt('high', new Date('2025-01-01T10:00:00Z'), sla).toISOString()).toBe('2025-01-01T11:00:00.000Z');
  });

  it('refuses a configuration that misses a priority or names an unknown one', () => {
    expect(() => parseSlaMinutes('urgent=15,high=60')).toThrow('missing low, normal');
    expect(() => parseSlaMinutes('urgent=15,high=60,normal=240,low=1440,asap=1')).toThrow('"asap" is not a priority');
    expect(() => parseSlaMinutes('urgent=0,high=60,normal=240,low=1440')).toThrow('urgent must be a whole number of minutes above 0');
  });
});
