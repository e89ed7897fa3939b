import type { TranscriptMessage } from './api';
import { fill, matching, slashAt, unfilled, variablesOf, type CannedResponse } from './canned';

const response = (shortcut: string, title: string, scope: CannedResponse['scope'] = 'tenant'): CannedResponse => ({
  id: shortcut,
  scope,
  shortcut,
  title,
  text: '',
  createdBy: 'lee',
  updatedAt: '',
});
const said = (text: string): TranscriptMessage => ({ role: 'customer', text, turnId: 't', createdAt: '' });

describe('canned responses in the reply box', () => {
  it('opens on a "/" at the start or after a space, not inside a word or a URL', () => {
    expect(slashAt('/th', 3)).toEqual({ start: 0, query: 'th' });
    expect(slashAt('Hello /Re', 9)).toEqual({ start: 6, query: 're' });
    expect(slashAt('Hello /', 7)).toEqual({ start: 6, query: '' });
    expect(slashAt('and/or', 6)).toBeUndefined();
    expect(slashAt('see https://x.example/a', 23)).toBeUndefined();
    expect(slashAt('/thanks and more', 16)).toBeUndefined();
  });

  it('lists shortcuts that start with the query before titles that contain it', () => {
    const all = [response('refund', 'Refund timing', 'personal'), response('greet', 'Greeting'), response('ret', 'Returns and refunds')];
    expect(matching(all, 'ref').map((r) => r.shortcut)).toEqual(['refund', 'ret']);
    expect(matching(all, 'refunds').map((r) => r.shortcut)).toEqual(['ret']);
    expect(matching(all, '', 2).map((r) => r.shortcut)).toEqual(['refund', 'greet']);
  });

  it('fills what the conversation knows and leaves the rest for the agent', () => {
    expect(fill('Hi {{first_name}}, about {{ order_id }}.', { first_name: 'Yara' })).toBe('Hi Yara, about {{ order_id }}.');
    expect(unfilled('Hi Yara, about {{ order_id }} and {{order_id}}; {{other}}')).toEqual(['order_id']);
  });

  it('takes the order the customer last mentioned, else their only order, and nothing for an unverified customer', () => {
    const customer = {
      userId: 'u',
      contactDetails: 'masked' as const,
      account: { name: { first_name: 'Yara', last_name: 'L.' }, orders: ['#W111', '#W222', '#W333'] },
    };
    expect(variablesOf(customer, [said('about #W333'), said('no wait, #W222')])).toEqual({ first_name: 'Yara', order_id: '#W222' });
    expect(variablesOf(customer, [said('where is my order?')])).toEqual({ first_name: 'Yara', order_id: undefined });
    expect(variablesOf(customer, [said('Which order do you mean: #W111 or #W222?')])).toEqual({ first_name: 'Yara', order_id: undefined });
    expect(variablesOf({ ...customer, account: { orders: ['#W9'] } }, [])).toEqual({ first_name: undefined, order_id: '#W9' });
    expect(variablesOf('unverified', [said('#W111')])).toEqual({});
  });
});
