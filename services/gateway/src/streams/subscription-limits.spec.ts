// The SubscribeConversation caps: per API key and per conversation, each refusal naming its limit,
// and a closed stream giving its place back exactly once.
import type { Caller } from '../auth/api-key.service';
import { GatewayError } from '../gateway.errors';
import { SubscriptionLimits } from './subscription-limits';

const caller = (keyId: string): Caller => ({ tenantId: 'acme', keyId, scopes: ['chat'] });

function refusal(open: () => unknown): GatewayError {
  try {
    open();
  } catch (error) {
    return error as GatewayError;
  }
  throw new Error('the stream was admitted');
}

describe('SubscriptionLimits', () => {
  it('refuses the stream past the per-conversation cap, naming the limit, until one closes', () => {
    const limits = new SubscriptionLimits({ SUBSCRIPTIONS_PER_KEY: 100, SUBSCRIPTIONS_PER_CONVERSATION: 2 });
    const first = limits.open(caller('k1'), 'c1');
    limits.open(caller('k2'), 'c1');
    const refused = refusal(() => limits.open(caller('k3'), 'c1'));
    expect(refused).toMatchObject({ code: 'RESOURCE_EXHAUSTED' });
    expect(refused.message).toContain('SUBSCRIPTIONS_PER_CONVERSATION');
    // Another conversation is not affected; a closed stream frees its place once, however often released.
    expect(() => limits.open(caller('k3'), 'c2')).not.toThrow();
    first();
    first();
    expect(() => limits.open(caller('k3'), 'c1')).not.toThrow();
    expect(() => limits.open(caller('k3'), 'c1')).toThrow(/SUBSCRIPTIONS_PER_CONVERSATION/);
  });

  it('refuses the stream past the per-key cap, whatever the conversation', () => {
    const limits = new SubscriptionLimits({ SUBSCRIPTIONS_PER_KEY: 3, SUBSCRIPTIONS_PER_CONVERSATION: 10 });
    const closers = ['c1', 'c2', 'c3'].map((c) => limits.open(caller('k1'), c));
    const refused = refusal(() => limits.open(caller('k1'), 'c4'));
    expect(refused).toMatchObject({ code: 'RESOURCE_EXHAUSTED' });
    expect(refused.message).toContain('SUBSCRIPTIONS_PER_KEY');
    expect(() => limits.open(caller('k2'), 'c4')).not.toThrow();
    closers[1]();
    expect(() => limits.open(caller('k1'), 'c4')).not.toThrow();
  });
});
