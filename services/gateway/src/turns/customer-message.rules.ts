// What a channel adapter may send. Violations name the proto field, e.g. "message.text".
import { FieldRules, MAX_TEXT, type FieldViolation } from '@switchboard/contracts';

export interface CustomerMessageInput {
  clientMessageId: string;
  conversationId: string;
  customerId: string;
  channel: string;
  locale: string;
  text: string;
  attachments: Array<{ name: string; contentType: string; url: string; sizeBytes: string | number }>;
  /** The adapter authenticated `customerId` itself (absent from older adapters: false). */
  customerAuthenticated?: boolean;
}

const MAX_ATTACHMENTS = 10;
const MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024;

// Bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069): they can make text
// display differently from what moderation and the logs read ("Trojan source").
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/g;
// Invisible characters that only hide words from word lists: zero-width space, word joiner and the
// invisible operators, BOM, soft hyphen, Mongolian vowel separator.
const INVISIBLE = /[\u200b\u2060-\u2064\ufeff\u00ad\u180e]/g;
// Zero-width (non-)joiners are kept where scripts and emoji need them, dropped inside Latin words.
const LATIN_JOINER = /(?<=[A-Za-z0-9])[\u200c\u200d]|[\u200c\u200d](?=[A-Za-z0-9])/g;
// FieldRules.text refuses C0 controls (except tab and newline) and DEL; C1 controls are refused here.
const C0_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const C1_CONTROL = /[\u0080-\u009f]/;
// What an identifier must never hold besides whitespace and C0 controls (FieldRules.id refuses
// those): DEL and C1 controls, bidi marks and controls, zero-width characters, unpaired surrogates.
const ID_FORBIDDEN = /[\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069]|\p{Cs}/u;
const LONE_SURROGATE = /\p{Cs}/u;
/** A channel name: web, app, phone, sms, whatsapp, ... */
export const CHANNEL_FORMAT = /^[a-z0-9_-]{1,32}$/;

/** Customer text as it is stored and read: NFC, newlines for CR/CRLF, no bidi or invisible characters. */
export function normaliseText(text: string): string {
  if (LONE_SURROGATE.test(text)) text = text.replace(/\p{Cs}/gu, '\ufffd');
  return text.normalize('NFC').replace(/\r\n?/g, '\n').replace(BIDI_CONTROL, '').replace(INVISIBLE, '').replace(LATIN_JOINER, '');
}

/** The message with its text normalised (see `normaliseText`); everything else is checked as sent. */
export function normaliseCustomerMessage<T extends CustomerMessageInput | null | undefined>(message: T): T {
  if (!message || typeof message.text !== 'string') return message;
  return { ...message, text: normaliseText(message.text) };
}

export function checkCustomerMessage(message: CustomerMessageInput | null | undefined): FieldViolation[] {
  if (!message) return [{ field: 'message', problem: 'is required' }];
  const r = new FieldRules('message.');
  r.id('client_message_id', message.clientMessageId)
    .check('client_message_id', !ID_FORBIDDEN.test(message.clientMessageId), 'must not contain control, bidi or zero-width characters')
    .optionalUuid('conversation_id', message.conversationId)
    .id('customer_id', message.customerId)
    .check('customer_id', !ID_FORBIDDEN.test(message.customerId), 'must not contain control, bidi or zero-width characters')
    .check(
      'customer_authenticated',
      message.customerAuthenticated === undefined || typeof message.customerAuthenticated === 'boolean',
      'must be true or false',
    )
    .check('channel', CHANNEL_FORMAT.test(message.channel), 'must be 1-32 lowercase letters, digits, _ or -')
    .check(
      'locale',
      message.locale === '' || /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8}){0,3}$/.test(message.locale),
      'must be a BCP 47 tag such as en-US',
    )
    .text('text', message.text, MAX_TEXT)
    .check('text', !C1_CONTROL.test(message.text) || C0_CONTROL.test(message.text), 'must not contain control characters')
    .check('attachments', message.attachments.length <= MAX_ATTACHMENTS, `must hold at most ${MAX_ATTACHMENTS} items`);
  message.attachments.slice(0, MAX_ATTACHMENTS).forEach((a, i) => {
    r.required(`attachments[${i}].name`, a.name)
      .maxLength(`attachments[${i}].name`, a.name, 255)
      .check(`attachments[${i}].name`, !ID_FORBIDDEN.test(a.name), 'must not contain control, bidi or zero-width characters')
      .check(
        `attachments[${i}].content_type`,
        a.contentType === '' || /^[\w.+-]{1,127}\/[\w.+-]{1,127}$/.test(a.contentType),
        'must be a media type such as image/png',
      )
      .check(`attachments[${i}].url`, /^https:\/\/\S{1,2040}$/.test(a.url), 'must be an https URL')
      .check(
        `attachments[${i}].size_bytes`,
        Number(a.sizeBytes) >= 0 && Number(a.sizeBytes) <= MAX_ATTACHMENT_BYTES,
        `must be between 0 and ${MAX_ATTACHMENT_BYTES}`,
      );
  });
  return r.violations;
}

/** Who follows a conversation with SubscribeConversation: checked like a message's sender. */
export function checkFollower(customerId: string, channel: string): FieldViolation[] {
  return new FieldRules()
    .id('customer_id', customerId)
    .check('customer_id', !ID_FORBIDDEN.test(customerId), 'must not contain control, bidi or zero-width characters')
    .check('channel', CHANNEL_FORMAT.test(channel), 'must be 1-32 lowercase letters, digits, _ or -').violations;
}
