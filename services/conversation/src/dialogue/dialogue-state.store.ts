// Dialogue state per conversation in Redis, as JSON under the tenant's key space. One
// conversation's turns are handled in order (Kafka key = conversation id), so a plain
// read-modify-write per turn cannot race with itself.
//
// What the CRM established about a customer (who they are, their orders, their tier) is also kept
// per customer id, so their next conversation starts from it and they are not asked again. The
// customer id is asserted by the channel adapter, which authenticates with the tenant's API key:
// an adapter that lets customers choose their own id must not be given the `chat` scope.
import { Inject, Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { CONFIG } from '@switchboard/platform';
import type { ConversationConfig } from '../config';
import { emptyState, type DialogueState } from './dialogue-state';

/** The part of a state that outlives its conversation. */
type KnownCustomer = Pick<DialogueState, 'verifiedUserId' | 'firstName' | 'tier' | 'knownOrderIds' | 'lastOrderId'>;

@Injectable()
export class DialogueStateStore {
  constructor(private readonly redis: Redis, @Inject(CONFIG) private readonly config: ConversationConfig) {}

  async load(tenantId: string, conversationId: string, customerId: string): Promise<DialogueState> {
    const raw = await this.redis.get(this.key(tenantId, conversationId));
    if (raw) return { ...emptyState(), ...(JSON.parse(raw) as Partial<DialogueState>) };
    const known = await this.redis.get(this.customerKey(tenantId, customerId));
    return known ? { ...emptyState(), ...(JSON.parse(known) as KnownCustomer) } : emptyState();
  }

  async save(tenantId: string, conversationId: string, customerId: string, state: DialogueState): Promise<void> {
    const writes = this.redis.multi().set(this.key(tenantId, conversationId), JSON.stringify(state), 'EX', this.config.DIALOGUE_STATE_TTL_S);
    if (state.verifiedUserId) {
      const known: KnownCustomer = { verifiedUserId: state.verifiedUserId, firstName: state.firstName, tier: state.tier, knownOrderIds: state.knownOrderIds, lastOrderId: state.lastOrderId };
      writes.set(this.customerKey(tenantId, customerId), JSON.stringify(known), 'EX', this.config.KNOWN_CUSTOMER_TTL_S);
    }
    await writes.exec();
  }

  private key(tenantId: string, conversationId: string): string {
    return `t:${tenantId}:conv:${conversationId}:state`;
  }

  private customerKey(tenantId: string, customerId: string): string {
    return `t:${tenantId}:customer:${customerId}:known`;
  }
}
