// How a receiver knows a webhook came from us and is fresh: HMAC-SHA256 over "<timestamp>.<body>"
// with the endpoint's secret (the scheme Stripe and Slack use), sent with the event's type and a
// delivery id that stays the same across retries, so a receiver can drop duplicates.
import { createHmac } from 'node:crypto';

export const WebhookHeader = {
  event: 'X-Switchboard-Event',
  delivery: 'X-Switchboard-Delivery',
  timestamp: 'X-Switchboard-Timestamp',
  signature: 'X-Switchboard-Signature',
} as const;

/** `sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`. */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex')}`;
}

/** The headers of one attempt; `timestamp` is Unix seconds at sending time. */
export function webhookHeaders(
  delivery: { deliveryId: string; eventType: string; secret: string; body: string },
  timestamp: string,
): Record<string, string> {
  return {
    'Content-Type': 'application/json',
    'User-Agent': 'Switchboard-Webhooks/1',
    [WebhookHeader.event]: delivery.eventType,
    [WebhookHeader.delivery]: delivery.deliveryId,
    [WebhookHeader.timestamp]: timestamp,
    [WebhookHeader.signature]: signWebhook(delivery.secret, timestamp, delivery.body),
  };
}
