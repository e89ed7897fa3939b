// Turns the webhook REST calls into request-reply calls to the integration service, which owns the
// endpoints and deliveries. The API key decides the tenant; a body can never name another.
import { Injectable } from '@nestjs/common';
import {
  create,
  CreateWebhookEndpointRequestSchema,
  DeleteWebhookEndpointRequestSchema,
  ListWebhookDeadLettersRequestSchema,
  ListWebhookEndpointsRequestSchema,
  ReplayWebhookDeadLetterRequestSchema,
  Rpcs,
  type AnyRpcTopic,
  type DescMessage,
  type MessageShape,
  type RpcTopic,
} from '@switchboard/contracts';
import { RpcClient } from '@switchboard/messaging';
import { Audited, AuditTrail } from '../audit/audit-trail.service';
import type { Principal } from '../auth/roles';
import { GatewayError } from '../gateway.errors';
import { jsonBody } from '../http/json-body';

const TIMEOUT_MS = 30_000;

@Injectable()
export class WebhooksAdminService {
  constructor(
    private readonly rpc: RpcClient,
    readonly audit?: AuditTrail,
  ) {}

  /** Body: {"url": "https://…", "eventTypes": ["ticket.*"], "secret"?: "…", "description"?: "…"}. */
  @Audited('webhook.create', 'webhook')
  async create(caller: Principal, body: Record<string, unknown>) {
    const request = create(CreateWebhookEndpointRequestSchema, {
      tenantId: caller.tenantId,
      url: text(body, 'url'),
      secret: text(body, 'secret'),
      description: text(body, 'description'),
      eventTypes: list(body, 'eventTypes'),
    });
    return this.call(Rpcs.webhooksCreate, request);
  }

  @Audited('webhook.list', 'webhook')
  async list(caller: Principal) {
    return this.call(Rpcs.webhooksList, create(ListWebhookEndpointsRequestSchema, { tenantId: caller.tenantId }));
  }

  @Audited('webhook.delete', 'webhook', 1)
  async delete(caller: Principal, endpointId: string) {
    return this.call(Rpcs.webhooksDelete, create(DeleteWebhookEndpointRequestSchema, { tenantId: caller.tenantId, endpointId }));
  }

  @Audited('webhook.dead_letters.read', 'webhook_delivery')
  async deadLetters(caller: Principal, limit: string | undefined) {
    const parsed = limit === undefined || limit === '' ? 0 : Number(limit);
    if (!Number.isInteger(parsed)) throw GatewayError.invalid([{ field: 'limit', problem: 'must be a whole number between 1 and 500' }]);
    return this.call(Rpcs.webhooksDeadLetters, create(ListWebhookDeadLettersRequestSchema, { tenantId: caller.tenantId, limit: parsed }));
  }

  @Audited('webhook.replay', 'webhook_delivery', 1)
  async replay(caller: Principal, deliveryId: string) {
    return this.call(Rpcs.webhooksReplay, create(ReplayWebhookDeadLetterRequestSchema, { tenantId: caller.tenantId, deliveryId }));
  }

  /** Field rules are checked here too, so a bad request is a 400 naming the field before any Kafka round trip. */
  private async call<Req extends DescMessage, Res extends DescMessage>(rpc: RpcTopic<Req, Res>, request: MessageShape<Req>) {
    const violations = (rpc as unknown as AnyRpcTopic).validate(request);
    if (violations.length > 0) throw GatewayError.invalid(violations);
    return jsonBody(rpc.response, await this.rpc.request(rpc, request, { timeoutMs: TIMEOUT_MS }));
  }
}

function text(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw GatewayError.invalid([{ field, problem: 'must be a string' }]);
  return value;
}

function list(body: Record<string, unknown>, field: string): string[] {
  const value = body[field];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string'))
    throw GatewayError.invalid([{ field, problem: 'must be a list of event types such as ["ticket.*"]' }]);
  return value;
}
