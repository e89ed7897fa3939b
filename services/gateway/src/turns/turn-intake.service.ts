// Accepts a customer message: validate, deduplicate by the adapter's message id, and hand it to
// Kafka. Once `accept` returns, the turn will complete even if any service restarts.
import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { create, InboundTurnSchema, Topics, type InboundTurn } from '@switchboard/contracts';
import type { Logger } from '@switchboard/logging';
import { KafkaBus, withTimeout } from '@switchboard/messaging';
import { CONFIG, LOGGER } from '@switchboard/platform';
import type { Caller } from '../auth/api-key.service';
import { AuditTrail } from '../audit/audit-trail.service';
import type { GatewayConfig } from '../config';
import { ConversationAccess } from '../conversations/conversation-access.service';
import { sameOwner, type ConversationOwner } from '../conversations/conversation-owner.repository';
import { GatewayError } from '../gateway.errors';
import { RateLimitService } from '../limits/rate-limit.service';
import { tenantTurnSettings } from '../settings/tenant-turn-settings';
import { checkCustomerMessage, normaliseCustomerMessage, type CustomerMessageInput } from './customer-message.rules';

export interface AcceptedTurn {
  conversationId: string;
  turnId: string;
  duplicate: boolean;
}

const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;
/** Audit detail of a client message id reused by another customer: a code, never whose it was. */
export const ID_OF_ANOTHER_CUSTOMER = 'CLIENT_MESSAGE_ID_OF_ANOTHER_CUSTOMER';

/**
 * What an idempotency record holds: the first call's ids and who sent it (blind index, channel).
 * `pending` until Kafka confirmed the turn: a gateway that died (or gave up waiting) in between
 * leaves it set, and the adapter's retry then publishes the same turn id again; downstream
 * handles a turn id once, so a turn that did get through is not doubled.
 */
interface IdempotencyRecord extends Partial<Omit<AcceptedTurn, 'duplicate'>> {
  owner?: ConversationOwner;
  pending?: boolean;
}

@Injectable()
export class TurnIntakeService {
  constructor(
    private readonly bus: KafkaBus,
    private readonly redis: Redis,
    private readonly limits: RateLimitService,
    private readonly access: ConversationAccess,
    private readonly audit: AuditTrail,
    private readonly db: DataSource,
    @Inject(CONFIG) private readonly config: GatewayConfig,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  /** `beforePublish` runs once the ids are known and before the turn can produce events. */
  async accept(
    caller: Caller,
    sent: CustomerMessageInput | null | undefined,
    beforePublish?: (turn: AcceptedTurn) => Promise<void>,
  ): Promise<AcceptedTurn> {
    const message = normaliseCustomerMessage(sent);
    const violations = checkCustomerMessage(message);
    if (violations.length > 0 || !message) throw GatewayError.invalid(violations);
    // Before the idempotency claim, so a refused message leaves nothing behind.
    await this.limits.admitMessage(caller, message.customerId);

    const owner = this.access.ownerOf(caller, message.customerId, message.channel);
    // Another customer's (or channel's) conversation is refused before anything is claimed.
    if (message.conversationId) await this.access.admitMessage(caller, message.conversationId, owner);

    // One key per client message id in the tenant, bound to its sender: a retry by the same
    // customer replays the first call, the same id from anyone else is refused (never answered
    // with the first sender's ids or events).
    const idempotencyKey = `t:${caller.tenantId}:idem:${message.clientMessageId}`;
    const fresh: IdempotencyRecord = { conversationId: message.conversationId || randomUUID(), turnId: randomUUID(), owner, pending: true };
    // SET NX GET: claims the id, or answers the first call's record, in one step.
    const earlier = await this.redis.set(idempotencyKey, JSON.stringify(fresh), 'EX', IDEMPOTENCY_TTL_SECONDS, 'NX', 'GET');
    const first = earlier === null ? fresh : (JSON.parse(earlier) as IdempotencyRecord);
    if (!first.conversationId || !first.turnId)
      throw new GatewayError(
        'UNAVAILABLE',
        'the idempotency record of this client_message_id is unreadable; retry with a new client_message_id',
      );
    if (earlier !== null && (!first.owner || !sameOwner(first.owner, owner))) await this.refuseReusedId(caller, message.clientMessageId);
    const turn: AcceptedTurn = { conversationId: first.conversationId, turnId: first.turnId, duplicate: earlier !== null };
    if (!first.pending) return turn;

    try {
      // A new conversation is its sender's from the first message on.
      if (!message.conversationId) await this.access.admitMessage(caller, turn.conversationId, owner);
      const settings = await tenantTurnSettings(this.db, caller.tenantId);
      await beforePublish?.(turn);
      await this.publishWithin(
        this.config.PUBLISH_TIMEOUT_MS,
        create(InboundTurnSchema, {
          tenantId: caller.tenantId,
          conversationId: turn.conversationId,
          turnId: turn.turnId,
          clientMessageId: message.clientMessageId,
          customerId: message.customerId,
          channel: message.channel,
          customerAuthenticated: message.customerAuthenticated === true,
          requireChannelIdentity: settings.requireChannelIdentity,
          offerSurveyOnResolve: settings.offerSurveyOnResolve,
          locale: message.locale,
          text: message.text,
          attachments: message.attachments.map((a) => ({
            name: a.name,
            contentType: a.contentType,
            url: a.url,
            sizeBytes: BigInt(a.sizeBytes),
          })),
          receivedAt: new Date().toISOString(),
        }),
      );
    } catch (error) {
      // The claim stays pending: the retry publishes this same turn id, so a publish that still
      // gets through late is handled once, and nothing is accepted that was not queued.
      if (error instanceof GatewayError) throw error;
      throw new GatewayError(
        'UNAVAILABLE',
        `the message could not be queued (${(error as Error).message}); retry with the same client_message_id`,
      );
    }
    const published: IdempotencyRecord = { conversationId: turn.conversationId, turnId: turn.turnId, owner };
    // Best effort: a record left pending only makes a later retry publish the same turn id again.
    await this.redis.set(idempotencyKey, JSON.stringify(published), 'KEEPTTL', 'XX').catch((error: Error) => {
      this.log.warn(
        { tenantId: caller.tenantId, turnId: turn.turnId, err: error.message },
        'turn queued but not marked as published; a retry will publish it again',
      );
    });
    return turn;
  }

  /**
   * Kafka's producer retries for tens of seconds while the broker is down; the adapter hears
   * UNAVAILABLE after `timeoutMs` instead (and retries) while that send may still complete.
   * The envelope's message id is the turn id, so consumers skip a second copy.
   */
  private async publishWithin(timeoutMs: number, inbound: InboundTurn): Promise<void> {
    const sent = this.bus.publish(Topics.inbound, inbound, { conversationId: inbound.conversationId, messageId: inbound.turnId });
    sent.catch(() => undefined); // a late failure after the deadline has nobody left to tell
    await withTimeout(sent, timeoutMs, 'Kafka confirming the message');
  }

  private async refuseReusedId(caller: Caller, clientMessageId: string): Promise<never> {
    await this.audit.record({
      tenantId: caller.tenantId,
      actor: { kind: 'api_key', id: caller.keyId },
      action: 'conversation.message',
      resource: { type: 'client_message', id: clientMessageId },
      outcome: 'refused',
      detail: ID_OF_ANOTHER_CUSTOMER,
    });
    throw new GatewayError('ALREADY_EXISTS', 'client_message_id is already used by another message; send each message with a new id');
  }
}
