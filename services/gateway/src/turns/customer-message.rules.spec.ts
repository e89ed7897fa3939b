import { checkCustomerMessage, type CustomerMessageInput } from './customer-message.rules';

const valid: CustomerMessageInput = {
  clientMessageId: 'm-1', conversationId: '', customerId: 'c-1', channel: 'web', locale: 'en-US', text: 'Hello', attachments: [],
};

describe('checkCustomerMessage', () => {
  it('accepts a well-formed message', () => expect(checkCustomerMessage(valid)).toEqual([]));

  it('names each wrong field', () => {
    const violations = checkCustomerMessage({ ...valid, text: '', conversationId: 'abc', channel: 'Web Chat', locale: 'english!' });
    expect(violations.map((v) => v.field)).toEqual(['message.conversation_id', 'message.channel', 'message.locale', 'message.text']);
    expect(violations.find((v) => v.field === 'message.text')?.problem).toBe('is required');
  });

  it('rejects a missing message, oversized text and control characters', () => {
    expect(checkCustomerMessage(undefined)).toEqual([{ field: 'message', problem: 'is required' }]);
    expect(checkCustomerMessage({ ...valid, text: 'x'.repeat(4001) })[0]).toEqual({ field: 'message.text', problem: 'must be at most 4000 characters' });
    expect(checkCustomerMessage({ ...valid, text: 'hi\u0000there' })[0].problem).toBe('must not contain control characters');
  });

  it('checks attachments', () => {
    const violations = checkCustomerMessage({ ...valid, attachments: [{ name: 'a.png', contentType: 'image/png', url: 'ftp://x', sizeBytes: '1' }] });
    expect(violations).toEqual([{ field: 'message.attachments[0].url', problem: 'must be an https URL' }]);
  });
});
