import { RateLimitedError } from './rate-limit.errors';
import type { Admission, RateLimitRepository, Window } from './rate-limit.repository';
import { RateLimitService } from './rate-limit.service';

const caller = { tenantId: 'acme', keyId: 'k1', scopes: ['chat' as const] };

function serviceAnswering(admission: Admission) {
  const asked: Window[][] = [];
  const givenBack: Array<{ keys: string[]; member: string }> = [];
  const windows = {
    take: async (w: Window[]) => {
      asked.push(w);
      return admission;
    },
    giveBack: async (keys: string[], member: string) => {
      givenBack.push({ keys, member });
    },
  } as unknown as RateLimitRepository;
  const limits = {
    RATE_LIMIT_KEY_PER_MIN: 600,
    RATE_LIMIT_KEY_MAX_PER_MIN: 60_000,
    RATE_LIMIT_USER_PER_MIN: 600,
    RATE_LIMIT_CUSTOMER_PER_MIN: 30,
    LOGIN_ATTEMPTS_PER_MIN: 10,
    LOGIN_FAILURES_PER_CLIENT_PER_MIN: 30,
    LOGIN_FAILURES_PER_TENANT_PER_MIN: 300,
  };
  return { asked, givenBack, service: new RateLimitService(windows, limits) };
}

describe('RateLimitService', () => {
  it('counts a message against the key and the customer, in the tenant', async () => {
    const { asked, service } = serviceAnswering({ admitted: true, member: 'm-1' });
    await service.admitMessage(caller, 'cust-1');
    expect(asked).toEqual([
      [
        expect.objectContaining({ key: 't:acme:rl:key:k1', limit: 600 }),
        expect.objectContaining({ key: 't:acme:rl:customer:cust-1', limit: 30 }),
      ],
    ]);
    await service.admitCall(caller);
    expect(asked[1]).toEqual([expect.objectContaining({ key: 't:acme:rl:key:k1', limit: 600 })]);
    await service.admitUser('acme', 'u-1');
    expect(asked[2]).toEqual([expect.objectContaining({ name: 'user', key: 't:acme:rl:user:u-1', limit: 600 })]);
  });

  it('counts a sign-in per username and address, and failures per address and per tenant; a success gives the failure windows back', async () => {
    const { asked, givenBack, service } = serviceAnswering({ admitted: true, member: 'm-7' });
    const attempt = await service.admitSignIn('acme', 'lee', '203.0.113.7');
    expect(asked).toEqual([
      [
        expect.objectContaining({ name: 'sign_in', key: 't:acme:rl:sign-in:lee:203.0.113.7', limit: 10 }),
        expect.objectContaining({ name: 'sign_in_client', key: 't:acme:rl:sign-in-client:203.0.113.7', limit: 30 }),
        expect.objectContaining({ name: 'sign_in_tenant', key: 't:acme:rl:sign-in-tenant', limit: 300 }),
      ],
    ]);
    expect(givenBack).toEqual([]);
    await attempt.succeeded();
    // The per-username window keeps it: guessing right still costs an attempt.
    expect(givenBack).toEqual([{ keys: ['t:acme:rl:sign-in-client:203.0.113.7', 't:acme:rl:sign-in-tenant'], member: 'm-7' }]);
  });

  it('says which limit refused and when to retry', async () => {
    const { service } = serviceAnswering({ admitted: false, refusedBy: 1, retryAfterMs: 12_300 });
    const error = (await service.admitMessage(caller, 'cust-1').catch((e: unknown) => e)) as RateLimitedError;
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error.limit).toBe('customer');
    expect(error.retryAfterSeconds).toBe(13);
    expect(error.message).toBe('rate limit reached (customer): at most 30 messages per minute for customer "cust-1"; retry in 13 s');
  });
});
