// Remembers which messages a consumer group already handled, so at-least-once delivery does not
// mean twice-applied effects.
import type Redis from 'ioredis';

export interface DedupeStore {
  seen(key: string): Promise<boolean>;
  remember(key: string): Promise<void>;
}

export class RedisDedupeStore implements DedupeStore {
  constructor(private readonly redis: Redis, private readonly ttlSeconds = 7 * 24 * 3600) {}

  async seen(key: string): Promise<boolean> {
    return (await this.redis.exists(key)) === 1;
  }

  async remember(key: string): Promise<void> {
    await this.redis.set(key, '1', 'EX', this.ttlSeconds);
  }
}

export function dedupeKey(tenantId: string, groupId: string, messageId: string): string {
  return `t:${tenantId}:dedupe:${groupId}:${messageId}`;
}
