// What the ChatGateway calls do, independent of gRPC.
import { Inject, Injectable } from '@nestjs/common';
import { ConversationEventSchema, create, toJsonString, type ConversationEvent } from '@switchboard/contracts';
import { CONFIG } from '@switchboard/platform';
import type { Caller } from '../auth/api-key.service';
import type { GatewayConfig } from '../config';
import { GatewayError } from '../gateway.errors';
import { ConversationStreamStore } from '../streams/conversation-stream.store';
import { checkFollower, type CustomerMessageInput } from '../turns/customer-message.rules';
import { ConversationAccess } from '../conversations/conversation-access.service';
import { SubscriptionLimits } from '../streams/subscription-limits';
import { TurnIntakeService, type AcceptedTurn } from '../turns/turn-intake.service';
import { FieldRules } from '@switchboard/contracts';

/** A ConversationEvent as protobuf canonical JSON: what proto-loader serialises. */
export type WireEvent = Record<string, unknown>;

/** A SubscribeConversation request: which conversation, from where, and who follows it. */
export interface Subscription {
  conversationId: string;
  afterEventId: string;
  customerId: string;
  channel: string;
}

export function toWire(event: ConversationEvent): WireEvent {
  return JSON.parse(toJsonString(ConversationEventSchema, event)) as WireEvent;
}

@Injectable()
export class ChatService {
  constructor(
    private readonly intake: TurnIntakeService,
    private readonly streams: ConversationStreamStore,
    private readonly access: ConversationAccess,
    private readonly limits: SubscriptionLimits,
    @Inject(CONFIG) private readonly config: GatewayConfig,
  ) {}

  send(caller: Caller, message: CustomerMessageInput | null | undefined): Promise<AcceptedTurn> {
    return this.intake.accept(caller, message);
  }

  /** Accepts one message and emits that turn's events until it completes. */
  async converse(
    caller: Caller,
    message: CustomerMessageInput | null | undefined,
    signal: AbortSignal,
    emit: (e: WireEvent) => void,
  ): Promise<void> {
    let cursor = '0-0';
    const turn = await this.intake.accept(caller, message, async (t) => {
      cursor = await this.streams.head(caller.tenantId, t.conversationId);
    });
    // A retried message replays its turn from the start of what is kept.
    if (turn.duplicate) cursor = '0-0';
    emit(
      toWire(
        create(ConversationEventSchema, {
          eventId: `accepted-${turn.turnId}`,
          conversationId: turn.conversationId,
          turnId: turn.turnId,
          occurredAt: new Date().toISOString(),
          kind: { case: 'accepted', value: { clientMessageId: message?.clientMessageId ?? '' } },
        }),
      ),
    );

    const timeout = AbortSignal.timeout(this.config.CONVERSE_TIMEOUT_MS);
    const stop = AbortSignal.any([signal, timeout]);
    for await (const { event } of this.streams.follow(caller.tenantId, turn.conversationId, cursor, stop)) {
      if (event.turnId !== turn.turnId) continue;
      emit(toWire(event));
      if (event.kind.case === 'completed') return;
    }
    if (timeout.aborted && !signal.aborted) {
      throw new GatewayError(
        'DEADLINE_EXCEEDED',
        `turn ${turn.turnId} is still being processed; follow conversation ${turn.conversationId} with SubscribeConversation`,
      );
    }
  }

  /** Emits every event of a conversation until the caller cancels; only its owner may follow it. */
  async subscribe(caller: Caller, request: Subscription, signal: AbortSignal, emit: (e: WireEvent) => void): Promise<void> {
    const { conversationId, afterEventId } = request;
    const rules = new FieldRules().uuid('conversation_id', conversationId).maxLength('after_event_id', afterEventId, 128);
    const violations = [...rules.violations, ...checkFollower(request.customerId, request.channel)];
    if (violations.length > 0) throw GatewayError.invalid(violations);
    await this.access.admitFollower(caller, conversationId, this.access.ownerOf(caller, request.customerId, request.channel));
    const release = this.limits.open(caller, conversationId);
    try {
      let cursor = await this.streams.head(caller.tenantId, conversationId);
      if (afterEventId) {
        const found = await this.streams.cursorOf(caller.tenantId, conversationId, afterEventId);
        if (!found)
          throw new GatewayError('INVALID_ARGUMENT', 'after_event_id is not a known event of this conversation (it may have expired)');
        cursor = found;
      }
      for await (const { event } of this.streams.follow(caller.tenantId, conversationId, cursor, signal)) emit(toWire(event));
    } finally {
      release();
    }
  }
}
