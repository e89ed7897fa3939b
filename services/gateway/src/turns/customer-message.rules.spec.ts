import { checkCustomerMessage, normaliseCustomerMessage, normaliseText, type CustomerMessageInput } from './customer-message.rules';

const valid: CustomerMessageInput = {
  clientMessageId: 'm-1',
  conversationId: '',
  customerId: 'c-1',
  channel: 'web',
  locale: 'en-US',
  text: 'Hello',
  attachments: [],
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
    expect(checkCustomerMessage({ ...valid, text: 'x'.repeat(4001) })[0]).toEqual({
      field: 'message.text',
      problem: 'must be at most 4000 characters',
    });
    expect(checkCustomerMessage({ ...valid, text: 'hi\u0000there' })[0].problem).toBe('must not contain control characters');
  });

  it('checks attachments', () => {
    const violations = checkCustomerMessage({
      ...valid,
      attachments: [{ name: 'a.png', contentType: 'image/png', url: 'ftp://x', sizeBytes: '1' }],
    });
    expect(violations).toEqual([{ field: 'message.attachments[0].url', problem: 'must be an https URL' }]);
  });
});

describe('normaliseText and hostile unicode', () => {
  it('normalises to NFC, folds CR/CRLF and drops bidi controls and invisible characters', () => {
    expect(normaliseText('cafe\u0301')).toBe('caf\u00e9');
    expect(normaliseText('a\r\nb\rc')).toBe('a\nb\nc');
    expect(normaliseText('invoice \u202egnp.exe\u202c \u2067x\u2069')).toBe('invoice gnp.exe x');
    expect(normaliseText('id\u200bi\u2060o\ufefft i\u200dd\u200ciot so\u00adft')).toBe('idiot idiot soft');
  });

  it('keeps joiners that emoji and non-Latin scripts need, and tabs and newlines', () => {
    const family = '\u{1f468}\u200d\u{1f469}\u200d\u{1f467}';
    expect(normaliseText(family)).toBe(family);
    expect(normaliseText('\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645')).toBe('\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645');
    expect(normaliseText('a\tb\nc')).toBe('a\tb\nc');
  });

  it('a text of only invisible characters is empty once normalised, and refused', () => {
    const message = normaliseCustomerMessage({ ...valid, text: '\u200b\u202e\ufeff' });
    expect(checkCustomerMessage(message)).toEqual([{ field: 'message.text', problem: 'is required' }]);
  });

  it('refuses C1 controls in text, once', () => {
    expect(checkCustomerMessage({ ...valid, text: 'a\u0085b' })).toEqual([
      { field: 'message.text', problem: 'must not contain control characters' },
    ]);
    expect(checkCustomerMessage({ ...valid, text: 'a\u0000\u0085b' })).toEqual([
      { field: 'message.text', problem: 'must not contain control characters' },
    ]);
  });

  it('refuses control, bidi and zero-width characters in ids and attachment names, naming the field', () => {
    expect(checkCustomerMessage({ ...valid, customerId: 'c\u202e1' })).toEqual([
      { field: 'message.customer_id', problem: 'must not contain control, bidi or zero-width characters' },
    ]);
    expect(checkCustomerMessage({ ...valid, clientMessageId: 'm\u200b1' })).toEqual([
      { field: 'message.client_message_id', problem: 'must not contain control, bidi or zero-width characters' },
    ]);
    expect(checkCustomerMessage({ ...valid, clientMessageId: 'm\u00001' })).toEqual([
      { field: 'message.client_message_id', problem: 'must not contain whitespace' },
    ]);
    expect(checkCustomerMessage({ ...valid, channel: 'web\u2066' })[0].field).toBe('message.channel');
    const attachment = { name: 'invoice\u202efdp.exe', contentType: 'text/html; x', url: 'https://x.test/a', sizeBytes: '1' };
    expect(checkCustomerMessage({ ...valid, attachments: [attachment] }).map((v) => v.field)).toEqual([
      'message.attachments[0].name',
      'message.attachments[0].content_type',
    ]);
  });
});
