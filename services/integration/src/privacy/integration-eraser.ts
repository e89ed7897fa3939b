// The integration service's part of erasing a customer (or, for retention, conversations): the
// webhook deliveries about them, and the connector read cache. The reference CRM is kept: it stands
// for the company's order system of record, and orders are business records.
import type { ErasureCommand, ErasureOutcome } from '@switchboard/contracts';
import type Redis from 'ioredis';
import type { EntityManager } from 'typeorm';
import { clearTenantCache } from '../connectors/cached.order-system';
import type { WebhookRepository } from '../webhooks/webhook.repository';

export const KEPT = {
  referenceCrm:
    "integration.users and integration.orders: the reference order/CRM system stands for the company's order system of record; orders are business records (accounting, returns, warranty), so the account and its orders are kept, encrypted at rest; erase them in the order system itself if the company decides to",
  delivered:
    "webhook payloads already delivered: they are the integrator's copy, outside Switchboard; deliveries still queued or dead-lettered here are removed",
  ticketFollowUps:
    'webhook deliveries of ticket events after `ticket.created` (assigned, status_changed, note_added, resolved) name only the ticket, not the customer or conversation, so they are not found; delivered ones are pruned after 7 days',
} as const;

export class IntegrationEraser {
  constructor(
    private readonly webhooks: WebhookRepository,
    private readonly redis: Redis,
  ) {}

  /** Runs inside the caller's transaction, so the deletion commits with the report's publication. */
  async erase(manager: EntityManager, command: ErasureCommand): Promise<ErasureOutcome> {
    const deliveries = await this.webhooks.deleteDeliveriesAbout(
      command.tenantId,
      { customerId: command.customerId, conversationIds: command.conversationIds },
      manager,
    );
    const removed: Record<string, number> = { 'integration.webhook_deliveries': deliveries };
    // Only for a customer: retention names conversations, and the cache holds CRM records, not conversations.
    if (command.customerId !== '') removed['redis:crm_cache'] = await clearTenantCache(this.redis, command.tenantId);
    return { removed, kept: [KEPT.referenceCrm, KEPT.delivered, KEPT.ticketFollowUps] };
  }
}
