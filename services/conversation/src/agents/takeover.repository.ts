// Who holds a conversation, agents' messages and the transcript agents read, in the conversation schema.
// Every query is scoped to a tenant, so another tenant's conversation id finds nothing.
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { EncryptionConfig } from '@switchboard/crypto';
import { CONFIG } from '@switchboard/platform';
import { MessageContent, type ConversationStatus } from '../conversations/conversation.repository';

export interface HeldConversation {
  id: string;
  customerId: string;
  channel: string;
  locale: string;
  status: ConversationStatus;
  agentId: string | null;
}

export interface TranscriptLine {
  role: string;
  text: string;
  turnId: string;
  createdAt: Date;
  agentId: string;
}

@Injectable()
export class TakeoverRepository {
  private readonly content: MessageContent;

  constructor(
    private readonly db: DataSource,
    @Inject(CONFIG) config: EncryptionConfig,
  ) {
    this.content = MessageContent.fromConfig(config);
  }

  /** With a manager, the row stays locked until its transaction ends: a customer turn waits for the agent's message and vice versa. */
  async find(tenantId: string, conversationId: string, m?: EntityManager): Promise<HeldConversation | undefined> {
    const rows: Array<{
      id: string;
      customer_id: string;
      channel: string;
      locale: string;
      status: ConversationStatus;
      agent_id: string | null;
    }> = await (m ?? this.db).query(
      `select id, customer_id, channel, locale, status, agent_id from conversation.conversations where tenant_id = $1 and id = $2${m ? ' for update' : ''}`,
      [tenantId, conversationId],
    );
    const r = rows[0];
    return r
      ? { id: r.id, customerId: r.customer_id, channel: r.channel, locale: r.locale, status: r.status, agentId: r.agent_id }
      : undefined;
  }

  async setHolder(
    m: EntityManager,
    tenantId: string,
    conversationId: string,
    status: ConversationStatus,
    agentId: string | null,
  ): Promise<void> {
    // A person taking over ends an open survey offer: after the hand-back, the customer's first words
    // to the bot ("2 more questions") answer nothing the bot asked.
    await m.query(
      `update conversation.conversations set status = $3, agent_id = $4, updated_at = now(),
         survey = case when $3 = 'agent' and survey = 'offered' then 'closed' else survey end
       where tenant_id = $1 and id = $2`,
      [tenantId, conversationId, status, agentId],
    );
  }

  /** The latest customer turn nobody (bot or agent) has answered, with when it arrived. */
  async unansweredTurn(
    m: EntityManager,
    tenantId: string,
    conversationId: string,
  ): Promise<{ turnId: string; createdAt: Date } | undefined> {
    const rows: Array<{ turn_id: string; created_at: Date }> = await m.query(
      `select c.turn_id, c.created_at from conversation.messages c
       where c.tenant_id = $1 and c.conversation_id = $2 and c.role = 'customer'
         and not exists (select 1 from conversation.messages r where r.tenant_id = c.tenant_id and r.turn_id = c.turn_id and r.role in ('bot', 'agent'))
       order by c.created_at desc limit 1`,
      [tenantId, conversationId],
    );
    return rows[0] ? { turnId: rows[0].turn_id, createdAt: rows[0].created_at } : undefined;
  }

  async insertAgentMessage(
    m: EntityManager,
    message: { tenantId: string; id: string; conversationId: string; turnId: string; text: string; agentId: string },
  ): Promise<void> {
    await m.query(
      `insert into conversation.messages (tenant_id, id, conversation_id, turn_id, role, content, metadata) values ($1, $2, $3, $4, 'agent', $5, $6)`,
      [
        message.tenantId,
        message.id,
        message.conversationId,
        message.turnId,
        this.content.seal(message.tenantId, message.id, message.text),
        JSON.stringify({ agentId: message.agentId }),
      ],
    );
  }

  async transcript(tenantId: string, conversationId: string): Promise<TranscriptLine[]> {
    const rows: Array<{ id: string; role: string; content: string; turn_id: string; created_at: Date; agent_id: string | null }> =
      await this.db.query(
        `select id, role, content, turn_id, created_at, metadata->>'agentId' as agent_id from conversation.messages
       where tenant_id = $1 and conversation_id = $2 order by created_at, role desc`,
        [tenantId, conversationId],
      );
    return rows.map((r) => ({
      role: r.role,
      text: this.content.open(tenantId, r.id, r.content),
      turnId: r.turn_id,
      createdAt: r.created_at,
      agentId: r.agent_id ?? '',
    }));
  }
}
