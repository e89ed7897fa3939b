// The survey setting body: exactly one boolean field; anything else is refused, naming the field.
import { GatewayError } from '../gateway.errors';
import { parseSurveySetting } from './survey-setting.service';

describe('parseSurveySetting', () => {
  it('accepts true and false', () => {
    expect(parseSurveySetting({ offerOnResolve: true })).toEqual({ offerOnResolve: true });
    expect(parseSurveySetting({ offerOnResolve: false })).toEqual({ offerOnResolve: false });
  });

  it('names a missing, mistyped or unknown field', () => {
    for (const [body, field] of [
      [{}, 'offerOnResolve'],
      [{ offerOnResolve: 'yes' }, 'offerOnResolve'],
      [{ offerOnResolve: true, tenantId: 'other' }, 'tenantId'],
    ] as const) {
      const error = (() => {
        try {
          parseSurveySetting(body);
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
