import { GatewayError } from '../gateway.errors';
import { parseCannedResponse, unknownVariables } from './canned-response';

const refusal = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).code).toBe('INVALID_ARGUMENT');
    return (error as Error).message;
  }
  throw new Error('expected a refusal');
};

describe('parseCannedResponse', () => {
  it('takes a full body, trims the text and titles an untitled response with its shortcut', () => {
    expect(parseCannedResponse({ scope: 'personal', shortcut: 'thanks', text: '  Thanks, {{first_name}}!  ' })).toEqual({
      scope: 'personal',
      shortcut: 'thanks',
      title: 'thanks',
      text: 'Thanks, {{first_name}}!',
    });
  });

  it('names each wrong, missing or unknown field', () => {
    const message = refusal(() => parseCannedResponse({ scope: 'team', shortcut: '/Refund', title: 7, colour: 'red' }));
    expect(message).toMatch(/^colour is not a field/);
    for (const field of ['scope', 'shortcut', 'title', 'text']) expect(message).toContain(`${field} `);
  });

  it('refuses variables the console cannot fill, naming the ones it can', () => {
    expect(refusal(() => parseCannedResponse({ scope: 'tenant', shortcut: 'hi', text: 'Hi {{frist_name}}, about {{ order_id }}' }))).toBe(
      'text uses {{frist_name}}; the variables are {{first_name}}, {{order_id}}',
    );
    expect(unknownVariables('{{first_name}} {{ order_id }} {{}}')).toEqual(['']);
  });

  it('changes only the fields a patch names, and never the scope', () => {
    expect(parseCannedResponse({ text: 'New text' }, true)).toEqual({ text: 'New text' });
    expect(refusal(() => parseCannedResponse({ scope: 'tenant' }, true))).toMatch(/^scope cannot change/);
    expect(refusal(() => parseCannedResponse({ text: 'x'.repeat(2001) }, true))).toBe('text is required: 1 to 2000 characters');
  });
});
