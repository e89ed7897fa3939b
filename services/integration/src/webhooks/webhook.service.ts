// Outgoing webhooks for a tenant's integrators: endpoint admin, fanning each conversation or
// ticket event out to the endpoints that want it (as rows, so the Kafka consumer never waits on a
// slow receiver), and delivering due rows with signatures, retries and dead-lettering.
import { randomBytes, randomUUID } from 'node:crypto';
import {
  create,
  CreateWebhookEndpointResultSchema,
  DeleteWebhookEndpointResultSchema,
  ListWebhookDeadLettersResultSchema,
  ListWebhookEndpointsResultSchema,
  ReplayWebhookDeadLetterResultSchema,
  toJsonString,
  WebhookDeadLetterSchema,
  WebhookEndpointSchema,
  type CreateWebhookEndpointRequest,
  type CreateWebhookEndpointResult,
  type DeleteWebhookEndpointRequest,
  type DeleteWebhookEndpointResult,
  type DescMessage,
  type ListWebhookDeadLettersRequest,
  type ListWebhookDeadLettersResult,
  type ListWebhookEndpointsRequest,
  type ListWebhookEndpointsResult,
  type MessageShape,
  type ReplayWebhookDeadLetterRequest,
  type ReplayWebhookDeadLetterResult,
} from '@switchboard/contracts';
import type { Logger } from '@switchboard/logging';
import type { EventTopic } from '@switchboard/contracts';
import type { OutboundPolicy } from '../outbound/outbound-policy';
import { WebhookError } from './webhook.errors';
import type { WebhookHttpClient } from './webhook-http.client';
import type { DueDelivery, EndpointRow, WebhookRepository } from './webhook.repository';
import { retryDelayMs, type RetryPolicy } from './webhook-retry';
import { webhookHeaders } from './webhook-signature';

export const MAX_ENDPOINTS_PER_TENANT = 20;
const DEFAULT_DEAD_LETTERS = 100;

/** The event-type prefix of each topic an integrator can subscribe to. */
const EVENT_PREFIX: Record<string, string> = { 'conversation.events.v1': 'conversation', 'ticket.events.v1': 'ticket' };

type Event = {
  tenantId: string;
  eventId: string;
  conversationId?: string;
  kind: { case: string | undefined; value?: { customerId?: string; conversationId?: string } };
};

/**
 * The customer and conversation an event is about, where it names them: conversation events carry
 * the conversation (and, for turns and hand-offs, the customer); a ticket's `created` carries both.
 */
export function subjectsOf(event: Event): { customerId?: string; conversationId?: string } {
  return {
    customerId: event.kind.value?.customerId || undefined,
    conversationId: event.conversationId || event.kind.value?.conversationId || undefined,
  };
}

/** `ticket.created`, `conversation.handoff_requested`: the topic's prefix and the oneof field's proto name. */
export function eventTypeOf(topic: string, schema: DescMessage, message: Event): string {
  const field = schema.fields.find((f) => f.localName === message.kind.case);
  return `${EVENT_PREFIX[topic] ?? topic}.${field?.name ?? 'unknown'}`;
}

export class WebhookService {
  constructor(
    private readonly store: WebhookRepository,
    private readonly http: WebhookHttpClient,
    private readonly policy: RetryPolicy & { timeoutMs: number },
    private readonly outbound: OutboundPolicy,
    private readonly log: Logger,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async createEndpoint(request: CreateWebhookEndpointRequest): Promise<CreateWebhookEndpointResult> {
    // The topic's rules checked the URL's syntax, event types and secret before this ran; whether
    // the platform may send there is this service's policy (literal addresses now, names on delivery).
    const refused = this.outbound.urlProblem(new URL(request.url));
    if (refused) throw WebhookError.invalid('url', `is refused: ${refused}`);
    if ((await this.store.countEndpoints(request.tenantId)) >= MAX_ENDPOINTS_PER_TENANT) {
      throw WebhookError.invalid('url', `cannot be added: a tenant has at most ${MAX_ENDPOINTS_PER_TENANT} endpoints`);
    }
    const secret = request.secret || `whsec_${randomBytes(24).toString('base64url')}`;
    const row = await this.store.createEndpoint({
      tenantId: request.tenantId,
      endpointId: randomUUID(),
      url: request.url,
      eventTypes: [...new Set(request.eventTypes)],
      secret,
      description: request.description,
    });
    this.log.info(
      { tenantId: row.tenantId, endpointId: row.endpointId, url: row.url, eventTypes: row.eventTypes },
      'webhook endpoint registered',
    );
    return create(CreateWebhookEndpointResultSchema, { endpoint: endpointMessage(row), secret });
  }

  async listEndpoints(request: ListWebhookEndpointsRequest): Promise<ListWebhookEndpointsResult> {
    return create(ListWebhookEndpointsResultSchema, { endpoints: (await this.store.listEndpoints(request.tenantId)).map(endpointMessage) });
  }

  async deleteEndpoint(request: DeleteWebhookEndpointRequest): Promise<DeleteWebhookEndpointResult> {
    if (!(await this.store.deleteEndpoint(request.tenantId, request.endpointId)))
      throw WebhookError.notFound(`webhook endpoint "${request.endpointId}" does not exist`);
    this.log.info({ tenantId: request.tenantId, endpointId: request.endpointId }, 'webhook endpoint deleted');
    return create(DeleteWebhookEndpointResultSchema, { deleted: true });
  }

  async listDeadLetters(request: ListWebhookDeadLettersRequest): Promise<ListWebhookDeadLettersResult> {
    const rows = await this.store.listDeadLetters(request.tenantId, request.limit || DEFAULT_DEAD_LETTERS);
    return create(ListWebhookDeadLettersResultSchema, {
      deadLetters: rows.map((r) =>
        create(WebhookDeadLetterSchema, { ...r, createdAt: r.createdAt.toISOString(), failedAt: r.failedAt.toISOString() }),
      ),
    });
  }

  async replay(request: ReplayWebhookDeadLetterRequest): Promise<ReplayWebhookDeadLetterResult> {
    if (!(await this.store.replay(request.tenantId, request.deliveryId)))
      throw WebhookError.notFound(`dead-lettered delivery "${request.deliveryId}" does not exist`);
    this.log.info({ tenantId: request.tenantId, deliveryId: request.deliveryId }, 'webhook delivery replayed');
    return create(ReplayWebhookDeadLetterResultSchema, { deliveryId: request.deliveryId, queued: true });
  }

  /** Queues the event for every endpoint of its tenant that wants its type; returns how many. */
  async onEvent<S extends DescMessage>(topic: EventTopic<S>, message: MessageShape<S>): Promise<number> {
    const event = message as unknown as Event;
    const eventType = eventTypeOf(topic.name, topic.schema, event);
    return this.store.enqueue({
      tenantId: event.tenantId,
      topic: topic.name,
      eventId: event.eventId,
      eventType,
      wildcard: `${eventType.split('.')[0]}.*`,
      // Exactly the canonical JSON on the topic, so the published JSON Schema describes the body.
      payload: toJsonString(topic.schema, message),
      ...subjectsOf(event),
    });
  }

  /** Sends up to `limit` due deliveries concurrently; returns how many it took. */
  async deliverDue(limit: number): Promise<number> {
    const due = await this.store.claimDue(limit, this.policy.timeoutMs + 30_000);
    await Promise.all(due.map((d) => this.attempt(d)));
    return due.length;
  }

  private async attempt(delivery: DueDelivery): Promise<void> {
    if (delivery.unreadable) {
      // Retrying cannot help: the key is missing or the row was altered.
      await this.store.markDead(delivery.tenantId, delivery.deliveryId, delivery.unreadable);
      this.log.error(
        { tenantId: delivery.tenantId, deliveryId: delivery.deliveryId, error: delivery.unreadable },
        'webhook delivery unreadable at rest; dead-lettered',
      );
      return;
    }
    const timestamp = String(Math.floor(this.clock().getTime() / 1000));
    const outcome = await this.http.post(
      delivery.url,
      webhookHeaders({ ...delivery, body: delivery.payload }, timestamp),
      delivery.payload,
    );
    const context = {
      tenantId: delivery.tenantId,
      endpointId: delivery.endpointId,
      deliveryId: delivery.deliveryId,
      eventType: delivery.eventType,
      attempt: delivery.attempts,
    };
    if (outcome.ok) {
      await this.store.markDelivered(delivery.tenantId, delivery.deliveryId);
      this.log.debug({ ...context, status: outcome.status }, 'webhook delivered');
      return;
    }
    const delay = outcome.final ? undefined : retryDelayMs(delivery.attempts, this.policy);
    if (delay === undefined) {
      await this.store.markDead(delivery.tenantId, delivery.deliveryId, outcome.error);
      this.log.warn(
        { ...context, error: outcome.error },
        outcome.final ? 'webhook delivery dead-lettered: its target is refused' : 'webhook delivery dead-lettered after its last attempt',
      );
    } else {
      await this.store.scheduleRetry(delivery.tenantId, delivery.deliveryId, delay, outcome.error);
      this.log.info({ ...context, error: outcome.error, retryInMs: delay }, 'webhook delivery failed; will retry');
    }
  }
}

function endpointMessage(row: EndpointRow) {
  return create(WebhookEndpointSchema, {
    tenantId: row.tenantId,
    endpointId: row.endpointId,
    url: row.url,
    eventTypes: row.eventTypes,
    description: row.description,
    createdAt: row.createdAt.toISOString(),
  });
}
