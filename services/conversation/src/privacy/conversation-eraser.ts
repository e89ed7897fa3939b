// Erases what the conversation service holds about a customer, or about some conversations: the
// conversations, their messages, the outbox rows they caused and their dialogue state in Redis, and
// for a customer also the record that recognises them in their next conversation.
//
// Outbox rows of those conversations are deleted whether published or not: an unpublished reply or
// hand-off sent after the erasure would recreate what the other services have just erased (a
// ticket, a stream entry). consumeErasures holds the relay first, so none is half-way out.
import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import Redis from 'ioredis';
import { DataSource, type EntityManager } from 'typeorm';
import type { ErasureCommand, ErasureOutcome } from '@switchboard/contracts';
import type { Logger } from '@switchboard/logging';
import { KafkaBus } from '@switchboard/messaging';
import { consumeErasures, deleteCounting, Outbox } from '@switchboard/persistence';
import { LOGGER } from '@switchboard/platform';

const CONVERSATION_STATE = (tenantId: string, conversationId: string) => `t:${tenantId}:conv:${conversationId}:state`;
const KNOWN_CUSTOMER = (tenantId: string, customerId: string) => `t:${tenantId}:customer:${customerId}:known`;

@Injectable()
export class ConversationEraser implements OnApplicationBootstrap {
  constructor(
    private readonly redis: Redis,
    private readonly bus: KafkaBus,
    private readonly db: DataSource,
    private readonly outbox: Outbox,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await consumeErasures(this.bus, this.db, this.outbox, 'conversation', this.log, (m, command) => this.erase(m, command));
  }

  /** Runs inside the erasing transaction; Redis keys go last, so a failure before them is retried whole. */
  async erase(m: EntityManager, command: ErasureCommand): Promise<ErasureOutcome> {
    const { tenantId } = command;
    const conversationIds =
      command.customerId !== '' ? await this.conversationsOf(m, tenantId, command.customerId) : command.conversationIds;

    const outbox = await deleteCounting(
      m,
      `delete from conversation.outbox where tenant_id = $1 and (key = any($2::text[]) or headers->>'sb-conversation-id' = any($2::text[]))`,
      [tenantId, conversationIds],
    );
    const ratings = await deleteCounting(m, 'delete from conversation.ratings where tenant_id = $1 and conversation_id = any($2::uuid[])', [
      tenantId,
      conversationIds,
    ]);
    const approvals = await deleteCounting(
      m,
      'delete from conversation.approvals where tenant_id = $1 and conversation_id = any($2::uuid[])',
      [tenantId, conversationIds],
    );
    const messages = await deleteCounting(
      m,
      'delete from conversation.messages where tenant_id = $1 and conversation_id = any($2::uuid[])',
      [tenantId, conversationIds],
    );
    const conversations = await deleteCounting(m, 'delete from conversation.conversations where tenant_id = $1 and id = any($2::uuid[])', [
      tenantId,
      conversationIds,
    ]);
    const states = conversationIds.length > 0 ? await this.redis.del(...conversationIds.map((id) => CONVERSATION_STATE(tenantId, id))) : 0;
    const removed: Record<string, number> = {
      'conversation.conversations': conversations,
      'conversation.messages': messages,
      'conversation.outbox': outbox,
      'conversation.ratings': ratings,
      'conversation.approvals': approvals,
      'redis:dialogue_state': states,
    };
    const kept = [
      "Kafka: copies of these messages in conversation.inbound.v1, conversation.outbound.v1 and conversation.events.v1 remain until those topics' retention deletes them",
    ];
    if (command.customerId !== '') removed['redis:known_customer'] = await this.redis.del(KNOWN_CUSTOMER(tenantId, command.customerId));
    else
      kept.push(
        'redis:known_customer: the record that recognises a verified customer is per customer, not per conversation; it expires 30 days (KNOWN_CUSTOMER_TTL_S) after their last verified turn',
      );
    return { removed, kept };
  }

  private async conversationsOf(m: EntityManager, tenantId: string, customerId: string): Promise<string[]> {
    const rows: Array<{ id: string }> = await m.query(
      'select id from conversation.conversations where tenant_id = $1 and customer_id = $2',
      [tenantId, customerId],
    );
    return rows.map((r) => r.id);
  }
}
