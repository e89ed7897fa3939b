// Accepts a customer message: validate, deduplicate by the adapter's message id, and hand it to
// Kafka. Once `accept` returns, the turn will complete even if any service restarts.
import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { create, InboundTurnSchema, Topics } from '@switchboard/contracts';
import { KafkaBus } from '@switchboard/messaging';
import type { Caller } from '../auth/api-key.service';
import { GatewayError } from '../gateway.errors';
import { RateLimitService } from '../limits/rate-limit.service';
import { checkCustomerMessage, normaliseCustomerMessage, type CustomerMessageInput } from './customer-message.rules';

export interface AcceptedTurn {
  conversationId: string;
  turnId: string;
  duplicate: boolean;
}

const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;

@Injectable()
export class TurnIntakeService {
  constructor(private readonly bus: KafkaBus, private readonly redis: Redis, private readonly limits: RateLimitService) {}

  /** `beforePublish` runs once the ids are known and before the turn can produce events. */
  async accept(caller: Caller, sent: CustomerMessageInput | null | undefined, beforePublish?: (turn: AcceptedTurn) => Promise<void>): Promise<AcceptedTurn> {
    const message = normaliseCustomerMessage(sent);
    const violations = checkCustomerMessage(message);
    if (violations.length > 0 || !message) throw GatewayError.invalid(violations);
    // Before the idempotency claim, so a refused message leaves nothing behind.
    await this.limits.admitMessage(caller, message.customerId);

    const turn: AcceptedTurn = { conversationId: message.conversationId || randomUUID(), turnId: randomUUID(), duplicate: false };
    const idempotencyKey = `t:${caller.tenantId}:idem:${message.clientMessageId}`;
    const claimed = await this.redis.set(idempotencyKey, JSON.stringify(turn), 'EX', IDEMPOTENCY_TTL_SECONDS, 'NX');
    if (claimed !== 'OK') {
      const first = JSON.parse((await this.redis.get(idempotencyKey)) ?? '{}') as Partial<AcceptedTurn>;
      if (first.conversationId && first.turnId) return { conversationId: first.conversationId, turnId: first.turnId, duplicate: true };
    }
    try {
      await beforePublish?.(turn);
      await this.bus.publish(Topics.inbound, create(InboundTurnSchema, {
        tenantId: caller.tenantId,
        conversationId: turn.conversationId,
        turnId: turn.turnId,
        clientMessageId: message.clientMessageId,
        customerId: message.customerId,
        channel: message.channel,
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
}
