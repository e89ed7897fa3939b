// Conversations and their messages, in the conversation schema.
import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import type { InboundTurn } from '@switchboard/contracts';
import { FieldCipher, type EncryptionConfig } from '@switchboard/crypto';
import { CONFIG } from '@switchboard/platform';

/** `conversation.messages.content` is encrypted at rest, bound to its tenant, this name and the message id. */
export const MESSAGE_CONTENT = 'conversation.messages.content';

/** Message content as stored, and as read back (legacy plaintext rows read as they are). */
export class MessageContent {
  constructor(private readonly cipher: FieldCipher) {}
  static fromConfig(config: EncryptionConfig): MessageContent {
    return new MessageContent(FieldCipher.fromConfig(config));
  }
  seal(tenantId: string, messageId: string, text: string): string {
    return this.cipher.seal(text, { tenantId, column: MESSAGE_CONTENT, row: messageId });
  }
  open(tenantId: string, messageId: string, stored: string): string {
    return this.cipher.decrypt(stored, { tenantId, column: MESSAGE_CONTENT, row: messageId });
  }
}

/** `agent`: a support agent holds the conversation and the bot stays silent (see agents/). */
export type ConversationStatus = 'bot' | 'handed_off' | 'agent' | 'closed';

export interface BotReply {
  text: string;
  mode: string;
  grounded: boolean;
  sources: Array<{ passageId: string; title: string; documentId: string; snippet: string; score: number }>;
  handoffReason?: string;
}

@Injectable()
export class ConversationRepository {
  private readonly content: MessageContent;

  constructor(
    private readonly db: DataSource,
    @Inject(CONFIG) config: EncryptionConfig,
  ) {
    this.content = MessageContent.fromConfig(config);
  }

  /**
   * Stores the customer's message (once, whatever the redeliveries) and its conversation. Returns
   * false, storing nothing, when the conversation belongs to another customer or channel: the
   * gateway refuses those, this is the second line (e.g. conversations older than its owner records).
   */
  async recordCustomerMessage(turn: InboundTurn): Promise<boolean> {
    return this.db.transaction(async (m) => {
      const owned: unknown[] = await m.query(
        `insert into conversation.conversations (tenant_id, id, customer_id, channel, locale, offer_survey) values ($1, $2, $3, $4, $5, $6)
         on conflict (tenant_id, id) do update set updated_at = now(), offer_survey = excluded.offer_survey
         where conversations.customer_id = excluded.customer_id and conversations.channel = excluded.channel
         returning id`,
        [turn.tenantId, turn.conversationId, turn.customerId, turn.channel, turn.locale, turn.offerSurveyOnResolve],
      );
      if (owned.length === 0) return false;
      await m.query(
        `insert into conversation.messages (tenant_id, id, conversation_id, turn_id, role, content, metadata) values ($1, $2, $3, $2, 'customer', $4, $5)
         on conflict (tenant_id, id) do nothing`,
        [
          turn.tenantId,
          turn.turnId,
          turn.conversationId,
          this.content.seal(turn.tenantId, turn.turnId, turn.text),
          JSON.stringify({ channel: turn.channel, clientMessageId: turn.clientMessageId, attachments: turn.attachments.length }),
        ],
      );
      return true;
    });
  }

  async hasReply(tenantId: string, turnId: string): Promise<boolean> {
    const rows = await this.db.query<unknown[]>(
      `select 1 from conversation.messages where tenant_id = $1 and turn_id = $2 and role = 'bot'`,
      [tenantId, turnId],
    );
    return rows.length > 0;
  }

  /** Stores the bot's reply and runs `alsoInTransaction` (the outbox) in the same transaction. */
  async recordReply(turn: InboundTurn, reply: BotReply, alsoInTransaction: (m: EntityManager) => Promise<void>): Promise<void> {
    const id = randomUUID();
    await this.db.transaction(async (m) => {
      await m.query(
        `insert into conversation.messages (tenant_id, id, conversation_id, turn_id, role, content, metadata) values ($1, $2, $3, $4, 'bot', $5, $6)`,
        [
          turn.tenantId,
          id,
          turn.conversationId,
          turn.turnId,
          this.content.seal(turn.tenantId, id, reply.text),
          JSON.stringify({ mode: reply.mode, grounded: reply.grounded, sources: reply.sources }),
        ],
      );
      if (reply.handoffReason) {
        await m.query(`update conversation.conversations set status = 'handed_off', updated_at = now() where tenant_id = $1 and id = $2`, [
          turn.tenantId,
          turn.conversationId,
        ]);
      }
      await alsoInTransaction(m);
    });
  }

  /** A bot message of no customer turn (its own id is its turn id), e.g. the survey offered after a ticket is resolved. */
  async insertBotMessage(m: EntityManager, tenantId: string, conversationId: string, text: string): Promise<string> {
    const id = randomUUID();
    await m.query(
      `insert into conversation.messages (tenant_id, id, conversation_id, turn_id, role, content, metadata) values ($1, $2, $3, $2, 'bot', $4, $5)`,
      [
        tenantId,
        id,
        conversationId,
        this.content.seal(tenantId, id, text),
        JSON.stringify({ mode: 'template', grounded: false, sources: [] }),
      ],
    );
    return id;
  }

  /** The customer's latest message, for the language of a message the bot sends outside a turn. */
  async lastCustomerText(tenantId: string, conversationId: string): Promise<string> {
    const rows: Array<{ id: string; content: string }> = await this.db.query(
      `select id, content from conversation.messages where tenant_id = $1 and conversation_id = $2 and role = 'customer' order by created_at desc limit 1`,
      [tenantId, conversationId],
    );
    return rows[0] ? this.content.open(tenantId, rows[0].id, rows[0].content) : '';
  }

  async transcript(tenantId: string, conversationId: string): Promise<Array<{ role: string; content: string; createdAt: Date }>> {
    const rows: Array<{ id: string; role: string; content: string; created_at: Date }> = await this.db.query(
      'select id, role, content, created_at from conversation.messages where tenant_id = $1 and conversation_id = $2 order by created_at, role desc',
      [tenantId, conversationId],
    );
    return rows.map((r) => ({ role: r.role, content: this.content.open(tenantId, r.id, r.content), createdAt: r.created_at }));
  }

  async status(tenantId: string, conversationId: string): Promise<ConversationStatus | undefined> {
    const rows: Array<{ status: ConversationStatus }> = await this.db.query(
      'select status from conversation.conversations where tenant_id = $1 and id = $2',
      [tenantId, conversationId],
    );
    return rows[0]?.status;
  }
}
