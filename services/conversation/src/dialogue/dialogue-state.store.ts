// Dialogue state per conversation in Redis, as JSON under the tenant's key space. One
// conversation's turns are handled in order (Kafka key = conversation id), so a plain
// read-modify-write per turn cannot race with itself.
import { Inject, Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { CONFIG } from '@switchboard/platform';
import type { ConversationConfig } from '../config';
import { emptyState, type DialogueState } from './dialogue-state';

@Injectable()
export class DialogueStateStore {
  constructor(private readonly redis: Redis, @Inject(CONFIG) private readonly config: ConversationConfig) {}

  async load(tenantId: string, conversationId: string): Promise<DialogueState> {
    const raw = await this.redis.get(this.key(tenantId, conversationId));
    return raw ? { ...emptyState(), ...(JSON.parse(raw) as Partial<DialogueState>) } : emptyState();
  }

  async save(tenantId: string, conversationId: string, state: DialogueState): Promise<void> {
    await this.redis.set(this.key(tenantId, conversationId), JSON.stringify(state), 'EX', this.config.DIALOGUE_STATE_TTL_S);
  }

  private key(tenantId: string, conversationId: string): string {
    return `t:${tenantId}:conv:${conversationId}:state`;
  }
}
