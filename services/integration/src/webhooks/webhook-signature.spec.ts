import { signWebhook, webhookHeaders } from './webhook-signature';

const body = '{"tenantId":"acme","ticketId":"t-1"}';

it('signs "<timestamp>.<body>" with HMAC-SHA256 (vector computed with openssl dgst -sha256 -hmac)', () => {
  expect(signWebhook('whsec_0123456789abcdef', '1700000000', body)).toBe(
    'sha256=634cb965f4463398f70e382df9245f11d4dc197c9364536af99996a6294ba88d',
  );
});

it('changes when the timestamp, the body or the secret does', () => {
  const signature = signWebhook('whsec_0123456789abcdef', '1700000000', body);
  expect(signWebhook('whsec_0123456789abcdef', '1700000001', body)).not.toBe(signature);
  expect(signWebhook('whsec_0123456789abcdef', '1700000000', body.replace('t-1', 't-2'))).not.toBe(signature);
  expect(signWebhook('whsec_0123456789abcdeF', '1700000000', body)).not.toBe(signature);
});

it('sends the event type, delivery id, timestamp and signature, and never the secret', () => {
  const headers = webhookHeaders({ deliveryId: 'd-1', eventType: 'ticket.created', secret: 'whsec_0123456789abcdef', body }, '1700000000');
  expect(headers).toEqual({
    'Content-Type': 'application/json',
    'User-Agent': 'Switchboard-Webhooks/1',
    'X-Switchboard-Event': 'ticket.created',
    'X-Switchboard-Delivery': 'd-1',
    'X-Switchboard-Timestamp': '1700000000',
    'X-Switchboard-Signature': 'sha256=634cb965f4463398f70e382df9245f11d4dc197c9364536af99996a6294ba88d',
  });
  expect(JSON.stringify(headers)).not.toContain('whsec_');
});
