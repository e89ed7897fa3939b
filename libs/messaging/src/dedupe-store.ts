// Remembers which messages a consumer group already handled, so at-least-once delivery does not
// mean twice-applied effects.
import type Redis from 'ioredis';

export interface DedupeStore {
  seen(key: string): Promise<boolean>;
  remember(key: string): Promise<void>;
  /**
   * Counts one more start of handling the message and returns the count. A start that never
   * reaches `finished` was cut short by a crash, a kill or a stall long enough to lose the
   * partition, so the count tells a message that keeps taking its consumer down.
   */
  started(key: string): Promise<number>;
  finished(key: string): Promise<void>;
}

export class RedisDedupeStore implements DedupeStore {
  constructor(
    private readonly redis: Redis,
    private readonly ttlSeconds = 7 * 24 * 3600,
  ) {}

  async seen(key: string): Promise<boolean> {
    return (await this.redis.exists(key)) === 1;
  }

  async remember(key: string): Promise<void> {
    await this.redis.set(key, '1', 'EX', this.ttlSeconds);
  }

  async started(key: string): Promise<number> {
    const [[, count]] = (await this.redis.multi().incr(`${key}:starts`).expire(`${key}:starts`, this.ttlSeconds).exec()) as [
      [unknown, number],
    ];
    return count;
  }

  async finished(key: string): Promise<void> {
    await this.redis.del(`${key}:starts`);
  }
}

export function dedupeKey(tenantId: string, groupId: string, messageId: string): string {
  return `t:${tenantId}:dedupe:${groupId}:${messageId}`;
}
