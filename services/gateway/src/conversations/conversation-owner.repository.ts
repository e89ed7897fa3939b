// The owner of each conversation: the tenant, channel and customer that opened it. Kept in the
// gateway's Postgres schema, not Redis, because the record must outlive any TTL or eviction: a
// forgotten owner would let the next customer claim the conversation. The gateway answers a
// hijack synchronously from here; the conversation service refuses a mismatching turn as well.
// The customer id is stored as a blind index (HMAC bound to the tenant), so this table holds no PII.
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BlindIndex, type BlindIndexConfig } from '@switchboard/crypto';
import { CONFIG } from '@switchboard/platform';

/** Who a message or subscription speaks for. */
export interface ConversationOwner {
  /** Blind index of the customer id (never the id itself). */
  customerIndex: string;
  channel: string;
}

const CUSTOMER_INDEX = 'gateway.conversation_owners.customer_index';

@Injectable()
export class ConversationOwnerRepository {
  private readonly index: BlindIndex;

  constructor(
    private readonly db: DataSource,
    @Inject(CONFIG) config: BlindIndexConfig,
  ) {
    this.index = BlindIndex.fromConfig(config);
  }

  ownerOf(tenantId: string, customerId: string, channel: string): ConversationOwner {
    return { customerIndex: this.customerIndexOf(tenantId, customerId), channel };
  }

  customerIndexOf(tenantId: string, customerId: string): string {
    return this.index.of(customerId, { tenantId, purpose: CUSTOMER_INDEX });
  }

  /** The conversation's owner, if the gateway has seen it opened. */
  async find(tenantId: string, conversationId: string): Promise<ConversationOwner | undefined> {
    const rows: Array<{ customer_index: string; channel: string }> = await this.db.query(
      'select customer_index, channel from gateway.conversation_owners where tenant_id = $1 and conversation_id = $2',
      [tenantId, conversationId],
    );
    return rows[0] ? { customerIndex: rows[0].customer_index, channel: rows[0].channel } : undefined;
  }

  /**
   * Records `owner` as the conversation's owner unless it already has one, and returns the owner
   * that stands (the earlier one when two customers race for a new id).
   */
  async claim(tenantId: string, conversationId: string, owner: ConversationOwner): Promise<ConversationOwner> {
    // Every message of a conversation comes here; only its first finds no owner and writes.
    const known = await this.find(tenantId, conversationId);
    if (known) return known;
    await this.db.query(
      `insert into gateway.conversation_owners (tenant_id, conversation_id, customer_index, channel) values ($1, $2, $3, $4)
       on conflict (tenant_id, conversation_id) do nothing`,
      [tenantId, conversationId, owner.customerIndex, owner.channel],
    );
    // Read back in a new statement: it sees whichever claim committed first.
    const standing = await this.find(tenantId, conversationId);
    if (!standing) throw new Error('conversation owner vanished right after being claimed');
    return standing;
  }

  /** Forgets a customer's conversations (erasure); returns their ids, so their streams go too. */
  async eraseCustomer(tenantId: string, customerId: string): Promise<string[]> {
    const [rows] = await this.db.query<[Array<{ conversation_id: string }>, number]>(
      'delete from gateway.conversation_owners where tenant_id = $1 and customer_index = $2 returning conversation_id',
      [tenantId, this.customerIndexOf(tenantId, customerId)],
    );
    return rows.map((r) => r.conversation_id);
  }

  async eraseConversations(tenantId: string, conversationIds: string[]): Promise<number> {
    if (conversationIds.length === 0) return 0;
    const [, count] = await this.db.query<[unknown, number]>(
      'delete from gateway.conversation_owners where tenant_id = $1 and conversation_id = any($2)',
      [tenantId, conversationIds],
    );
    return count;
  }
}

export const sameOwner = (a: ConversationOwner, b: ConversationOwner): boolean =>
  a.customerIndex === b.customerIndex && a.channel === b.channel;
