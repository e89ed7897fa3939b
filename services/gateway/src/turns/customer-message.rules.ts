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
}

const MAX_ATTACHMENTS = 10;
const MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024;

export function checkCustomerMessage(message: CustomerMessageInput | null | undefined): FieldViolation[] {
  if (!message) return [{ field: 'message', problem: 'is required' }];
  const r = new FieldRules('message.');
  r.id('client_message_id', message.clientMessageId)
    .optionalUuid('conversation_id', message.conversationId)
    .id('customer_id', message.customerId)
    .check('channel', /^[a-z0-9_-]{1,32}$/.test(message.channel), 'must be 1-32 lowercase letters, digits, _ or -')
    .check('locale', message.locale === '' || /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8}){0,3}$/.test(message.locale), 'must be a BCP 47 tag such as en-US')
    .text('text', message.text, MAX_TEXT)
    .check('attachments', message.attachments.length <= MAX_ATTACHMENTS, `must hold at most ${MAX_ATTACHMENTS} items`);
  message.attachments.forEach((a, i) => {
    r.required(`attachments[${i}].name`, a.name).maxLength(`attachments[${i}].name`, a.name, 255)
      .check(`attachments[${i}].url`, /^https:\/\/\S{1,2040}$/.test(a.url), 'must be an https URL')
      .check(`attachments[${i}].size_bytes`, Number(a.sizeBytes) >= 0 && Number(a.sizeBytes) <= MAX_ATTACHMENT_BYTES, `must be between 0 and ${MAX_ATTACHMENT_BYTES}`);
  });
  return r.violations;
}
