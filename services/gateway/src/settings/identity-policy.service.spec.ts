// The identity policy body: exactly one boolean field; anything else is refused, naming the field.
import { GatewayError } from '../gateway.errors';
import { parseIdentityPolicy } from './identity-policy.service';

describe('parseIdentityPolicy', () => {
  it('accepts true and false', () => {
    expect(parseIdentityPolicy({ requireChannelIdentity: true })).toEqual({ requireChannelIdentity: true });
    expect(parseIdentityPolicy({ requireChannelIdentity: false })).toEqual({ requireChannelIdentity: false });
  });

  it('names a missing, mistyped or unknown field', () => {
    for (const [body, field] of [
      [{}, 'requireChannelIdentity'],
      [{ requireChannelIdentity: 'yes' }, 'requireChannelIdentity'],
      [{ requireChannelIdentity: true, tenantId: 'other' }, 'tenantId'],
    ] as const) {
      const error = (() => {
        try {
          parseIdentityPolicy(body);
        } catch (e) {
          return e as GatewayError;
        }
        throw new Error('accepted');
      })();
      expect(error.code).toBe('INVALID_ARGUMENT');
      expect(error.message).toContain(field);
    }
  });
});
