// What an agent may see of a customer's contact and payment details. Masking keeps enough to
// recognise a detail when the customer reads it out ("the one ending 4567") and nothing to use it.
import type { Ticket } from '@switchboard/contracts';
import { findPii } from '@switchboard/text';

const MASK = '•••';

function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  return at <= 0 ? MASK : `${email[0]}${MASK}${email.slice(at)}`;
}

/** Keeps the last `keep` digits of a number written with any separators. */
function lastDigits(value: string, keep: number): string {
  const digits = value.replace(/\D/g, '');
  return `${MASK}${digits.slice(-keep)}`;
}

const MASKERS: Record<string, (match: string) => string> = {
  'pii.email': maskEmail,
  'pii.phone': (m) => lastDigits(m, 4),
  'pii.card': (m) => lastDigits(m, 4),
  'pii.cn_id': (m) => lastDigits(m, 4),
  'pii.address': () => '[address]',
};

/** `text` with every email, phone, card, resident id and street address masked. */
export function maskContactDetails(text: string): string {
  let out = '';
  let cursor = 0;
  for (const f of findPii(text)) {
    if (f.start < cursor) continue;
    out += text.slice(cursor, f.start) + (MASKERS[f.rule] ?? (() => MASK))(text.slice(f.start, f.end));
    cursor = f.end;
  }
  return out + text.slice(cursor);
}

/** Masks, in place, what a ticket quotes of the customer: the summary, the notes and a customer id that is a phone number or email. */
export function maskTicket(ticket: Ticket): void {
  ticket.summary = maskContactDetails(ticket.summary);
  ticket.customerId = maskContactDetails(ticket.customerId);
  for (const note of ticket.notes) note.text = maskContactDetails(note.text);
}

/** The customer's account as an agent without clearance sees it: who, roughly where, how they pay — no way to reach or charge them. */
export function maskAccount(account: Record<string, unknown>): Record<string, unknown> {
  const name = account.name as { first_name?: string; last_name?: string } | undefined;
  const address = account.address as Record<string, unknown> | undefined;
  const methods = account.payment_methods as Record<string, Record<string, unknown>> | undefined;
  return {
    ...account,
    ...(name && { name: { first_name: name.first_name, last_name: name.last_name ? `${name.last_name[0]}.` : undefined } }),
    ...(typeof account.email === 'string' && { email: maskEmail(account.email) }),
    ...(typeof account.phone === 'string' && { phone: lastDigits(account.phone, 4) }),
    ...(address && {
      address: { city: address.city, state: address.state, country: address.country, address1: MASK, address2: MASK, zip: MASK },
    }),
    ...(methods && {
      payment_methods: Object.fromEntries(
        Object.entries(methods).map(([id, m]) => [
          id,
          {
            id: m.id,
            source: m.source,
            ...(m.brand !== undefined && { brand: m.brand }),
            ...(m.last_four !== undefined && { last_four: MASK }),
            ...(m.balance !== undefined && { balance: m.balance }),
          },
        ]),
      ),
    }),
  };
}
