// The routing settings body: a boolean and a whole number from 1 to 100, both required; anything
// else is refused, naming the field.
import { GatewayError } from '../gateway.errors';
import { parseRoutingSettings } from './routing-settings.service';

describe('parseRoutingSettings', () => {
  it('accepts automatic assignment on or off with a cap from 1 to 100', () => {
    expect(parseRoutingSettings({ autoAssign: false, maxOpenPerAgent: 1 })).toEqual({ autoAssign: false, maxOpenPerAgent: 1 });
    expect(parseRoutingSettings({ autoAssign: true, maxOpenPerAgent: 100 })).toEqual({ autoAssign: true, maxOpenPerAgent: 100 });
  });

  it('names a missing, mistyped, out-of-range or unknown field', () => {
    for (const [body, field] of [
      [{ maxOpenPerAgent: 5 }, 'autoAssign'],
      [{ autoAssign: 'on', maxOpenPerAgent: 5 }, 'autoAssign'],
      [{ autoAssign: true }, 'maxOpenPerAgent'],
      [{ autoAssign: true, maxOpenPerAgent: 0 }, 'maxOpenPerAgent'],
      [{ autoAssign: true, maxOpenPerAgent: 2.5 }, 'maxOpenPerAgent'],
      [{ autoAssign: true, maxOpenPerAgent: '5' }, 'maxOpenPerAgent'],
      [{ autoAssign: true, maxOpenPerAgent: 5, tenantId: 'other' }, 'tenantId'],
    ] as const) {
      const error = (() => {
        try {
          parseRoutingSettings(body);
        } catch (e) {
          return e as GatewayError;
        }
        throw new Error(`accepted ${JSON.stringify(body)}`);
      })();
      expect(error.code).toBe('INVALID_ARGUMENT');
      expect(error.message).toContain(field);
    }
  });
});
