// Accepts a customer message: validate, deduplicate by the adapter's message id, and hand it to
// Kafka. Once `accept` returns, the turn will complete even if any service restarts.
import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { create, InboundTurnSchema, Topics } from '@switchboard/contracts';
import { KafkaBus } from '@switchboard/messaging';
import type { Caller } from '../auth/api-key.service';
import { AuditTrail } from '../audit/audit-trail.service';
import { ConversationAccess } from '../conversations/conversation-access.service';
import { sameOwner, type ConversationOwner } from '../conversations/conversation-owner.repository';
import { GatewayError } from '../gateway.errors';
import { RateLimitService } from '../limits/rate-limit.service';
import { IdentityPolicyService } from '../settings/identity-policy.service';
import { checkCustomerMessage, normaliseCustomerMessage, type CustomerMessageInput } from './customer-message.rules';

export interface AcceptedTurn {
  conversationId: string;
  turnId: string;
  duplicate: boolean;
}

const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;
/** Audit detail of a client message id reused by another customer: a code, never whose it was. */
export const ID_OF_ANOTHER_CUSTOMER = 'CLIENT_MESSAGE_ID_OF_ANOTHER_CUSTOMER';

/** What an idempotency record holds: the first call's ids and who sent it (blind index, channel). */
interface IdempotencyRecord extends Partial<AcceptedTurn> {
  owner?: ConversationOwner;
}

@Injectable()
export class TurnIntakeService {
  constructor(private readonly bus: KafkaBus, private readonly redis: Redis, private readonly limits: RateLimitService, private readonly access: ConversationAccess, private readonly audit: AuditTrail, private readonly identity: IdentityPolicyService) {}

  /** `beforePublish` runs once the ids are known and before the turn can produce events. */
  async accept(caller: Caller, sent: CustomerMessageInput | null | undefined, beforePublish?: (turn: AcceptedTurn) => Promise<void>): Promise<AcceptedTurn> {
    const message = normaliseCustomerMessage(sent);
    const violations = checkCustomerMessage(message);
    if (violations.length > 0 || !message) throw GatewayError.invalid(violations);
    // Before the idempotency claim, so a refused message leaves nothing behind.
    await this.limits.admitMessage(caller, message.customerId);

    const owner = this.access.ownerOf(caller, message.customerId, message.channel);
    // Another customer's (or channel's) conversation is refused before anything is claimed.
    if (message.conversationId) await this.access.admitMessage(caller, message.conversationId, owner);

    const turn: AcceptedTurn = { conversationId: message.conversationId || randomUUID(), turnId: randomUUID(), duplicate: false };
    // One key per client message id in the tenant, bound to its sender: a retry by the same
    // customer replays the first call, the same id from anyone else is refused (never answered
    // with the first sender's ids or events).
    const idempotencyKey = `t:${caller.tenantId}:idem:${message.clientMessageId}`;
    const record: IdempotencyRecord = { ...turn, owner };
    const claimed = await this.redis.set(idempotencyKey, JSON.stringify(record), 'EX', IDEMPOTENCY_TTL_SECONDS, 'NX');
    if (claimed !== 'OK') {
      const first = JSON.parse((await this.redis.get(idempotencyKey)) ?? '{}') as IdempotencyRecord;
      if (first.conversationId && first.turnId) {
        if (!first.owner || !sameOwner(first.owner, owner)) await this.refuseReusedId(caller, message.clientMessageId);
        return { conversationId: first.conversationId, turnId: first.turnId, duplicate: true };
      }
    }
    try {
      // A new conversation is its sender's from the first message on.
      if (!message.conversationId) await this.access.admitMessage(caller, turn.conversationId, owner);
      const policy = await this.identity.of(caller.tenantId);
      await beforePublish?.(turn);
      await this.bus.publish(Topics.inbound, create(InboundTurnSchema, {
        tenantId: caller.tenantId,
        conversationId: turn.conversationId,
        turnId: turn.turnId,
        clientMessageId: message.clientMessageId,
        customerId: message.customerId,
        channel: message.channel,
        customerAuthenticated: message.customerAuthenticated === true,
        requireChannelIdentity: policy.requireChannelIdentity,
        locale: message.locale,
        text: message.text,
        attachments: message.attachments.map((a) => ({ name: a.name, contentType: a.contentType, url: a.url, sizeBytes: BigInt(a.sizeBytes) })),
        receivedAt: new Date().toISOString(),
      }), { conversationId: turn.conversationId });
    } catch (error) {
      // Not accepted: let the adapter's retry try again.
      await this.redis.del(idempotencyKey);
      throw new GatewayError('UNAVAILABLE', `the message could not be queued, please retry: ${(error as Error).message}`);
    }
    return turn;
  }

  private async refuseReusedId(caller: Caller, clientMessageId: string): Promise<never> {
    await this.audit.record({ tenantId: caller.tenantId, actor: { kind: 'api_key', id: caller.keyId }, action: 'conversation.message', resource: { type: 'client_message', id: clientMessageId }, outcome: 'refused', detail: ID_OF_ANOTHER_CUSTOMER });
    throw new GatewayError('ALREADY_EXISTS', 'client_message_id is already used by another message; send each message with a new id');
  }
}
