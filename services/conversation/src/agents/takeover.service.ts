// Live take-over: an agent takes a conversation from the bot, writes to the customer and hands it
// back. While an agent holds it the bot stays silent (TurnService stores the customer's turn and
// stops); the agent's message answers the latest unanswered turn, so that turn's Converse stream
// gets the reply and completes. The stored message and its events commit together (outbox).
import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import {
  AgentMessageResultSchema,
  AgentSessionResultSchema,
  ConversationLifecycleEventSchema,
  create,
  OutboundEventSchema,
  Topics,
  TranscriptSchema,
  type AgentMessageRequest,
  type AgentMessageResult,
  type AgentSessionRequest,
  type AgentSessionResult,
  type ConversationEventSchema,
  type GetTranscriptRequest,
  type MessageInitShape,
  type Transcript,
} from '@switchboard/contracts';
import { Outbox } from '@switchboard/persistence';
import { DialogueStateStore } from '../dialogue/dialogue-state.store';
import { AgentDeskError } from './agent-desk.errors';
import { TakeoverRepository, type HeldConversation } from './takeover.repository';

type EventKind = MessageInitShape<typeof ConversationEventSchema>['kind'];

@Injectable()
export class TakeoverService {
  constructor(
    private readonly db: DataSource,
    private readonly outbox: Outbox,
    private readonly conversations: TakeoverRepository,
    private readonly states: DialogueStateStore,
  ) {}

  async takeOver(request: AgentSessionRequest): Promise<AgentSessionResult> {
    return this.db.transaction(async (m) => {
      const conversation = await this.load(m, request);
      if (conversation.status === 'closed')
        throw new AgentDeskError('CONVERSATION_CLOSED', `conversation ${conversation.id} is closed; it cannot be taken over`);
      if (conversation.status === 'agent' && conversation.agentId !== request.agentId) {
        throw new AgentDeskError(
          'CONVERSATION_HELD',
          `conversation ${conversation.id} is held by ${conversation.agentId}; they must hand it back first`,
        );
      }
      await this.conversations.setHolder(m, request.tenantId, conversation.id, 'agent', request.agentId);
      return create(AgentSessionResultSchema, { conversationId: conversation.id, status: 'agent', agentId: request.agentId });
    });
  }

  async handBack(request: AgentSessionRequest): Promise<AgentSessionResult> {
    return this.db.transaction(async (m) => {
      const conversation = await this.heldBy(m, request);
      await this.conversations.setHolder(m, request.tenantId, conversation.id, 'bot', null);
      return create(AgentSessionResultSchema, { conversationId: conversation.id, status: 'bot', agentId: '' });
    });
  }

  async sendMessage(request: AgentMessageRequest): Promise<AgentMessageResult> {
    const result = await this.db.transaction(async (m) => {
      const conversation = await this.heldBy(m, request);
      const pending = await this.conversations.unansweredTurn(m, request.tenantId, conversation.id);
      const messageId = randomUUID();
      // Without a waiting turn the message is its own turn in storage, and an event of no turn on the stream.
      await this.conversations.insertAgentMessage(m, {
        tenantId: request.tenantId,
        id: messageId,
        conversationId: conversation.id,
        turnId: pending?.turnId ?? messageId,
        text: request.text,
        agentId: request.agentId,
      });
      const turnId = pending?.turnId ?? '';
      await this.publish(m, request.tenantId, conversation.id, turnId, {
        case: 'reply',
        value: { text: request.text, mode: 'agent', agentId: request.agentId, grounded: false, sources: [] },
      });
      if (pending)
        await this.publish(m, request.tenantId, conversation.id, turnId, {
          case: 'completed',
          value: { durationMs: BigInt(Date.now() - pending.createdAt.getTime()) },
        });
      // Analytics times the human response from this (no text travels).
      await this.outbox.stage(
        m,
        Topics.conversationEvents,
        create(ConversationLifecycleEventSchema, {
          tenantId: request.tenantId,
          conversationId: conversation.id,
          eventId: randomUUID(),
          occurredAt: new Date().toISOString(),
          kind: {
            case: 'agentReplied',
            value: { agentId: request.agentId, turnId, customerId: conversation.customerId, channel: conversation.channel },
          },
        }),
        { conversationId: conversation.id },
      );
      return create(AgentMessageResultSchema, { messageId, turnId });
    });
    await this.outbox.flush();
    return result;
  }

  async transcript(request: GetTranscriptRequest): Promise<Transcript> {
    const conversation = await this.conversations.find(request.tenantId, request.conversationId);
    if (!conversation) throw notFound(request.conversationId);
    const lines = await this.conversations.transcript(request.tenantId, request.conversationId);
    // The gateway masks contact details unless the customer is verified and the agent senior.
    const state = await this.states.load(request.tenantId, conversation.id, conversation.customerId);
    return create(TranscriptSchema, {
      verifiedUserId: state.verifiedUserId ?? '',
      verifiedBy: state.verifiedBy ?? '',
      conversationId: conversation.id,
      customerId: conversation.customerId,
      channel: conversation.channel,
      locale: conversation.locale,
      status: conversation.status,
      agentId: conversation.agentId ?? '',
      messages: lines.map((l) => ({
        role: l.role,
        text: l.text,
        turnId: l.turnId,
        createdAt: l.createdAt.toISOString(),
        agentId: l.agentId,
      })),
    });
  }

  private async load(m: EntityManager, request: { tenantId: string; conversationId: string }): Promise<HeldConversation> {
    const conversation = await this.conversations.find(request.tenantId, request.conversationId, m);
    if (!conversation) throw notFound(request.conversationId);
    return conversation;
  }

  private async heldBy(
    m: EntityManager,
    request: { tenantId: string; conversationId: string; agentId: string },
  ): Promise<HeldConversation> {
    const conversation = await this.load(m, request);
    if (conversation.status !== 'agent' || conversation.agentId !== request.agentId) {
      const holder =
        conversation.status === 'agent' ? `it is held by ${conversation.agentId}` : `the bot holds it (status ${conversation.status})`;
      throw new AgentDeskError(
        'NOT_HELD',
        `agent ${request.agentId} does not hold conversation ${conversation.id}: ${holder}; take it over first`,
      );
    }
    return conversation;
  }

  private async publish(m: EntityManager, tenantId: string, conversationId: string, turnId: string, kind: EventKind): Promise<void> {
    await this.outbox.stage(
      m,
      Topics.outbound,
      create(OutboundEventSchema, {
        tenantId,
        event: { eventId: randomUUID(), conversationId, turnId, occurredAt: new Date().toISOString(), kind },
      }),
      { conversationId },
    );
  }
}

function notFound(conversationId: string): AgentDeskError {
  return new AgentDeskError('CONVERSATION_NOT_FOUND', `conversation ${conversationId} does not exist for this tenant`);
}
