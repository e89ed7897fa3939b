// Remembers which messages a consumer group already handled, so at-least-once delivery does not
// mean twice-applied effects.
import type Redis from 'ioredis';

export interface DedupeStore {
  seen(key: string): Promise<boolean>;
  remember(key: string): Promise<void>;
  /**
   * Notes that process `starter` began handling the message and returns how many processes have.
   * A start that never reaches `finished` was cut short by a crash, a kill or a stall long enough
   * to lose the partition, so the count tells a message that keeps taking its consumer down. It
   * counts processes, not deliveries: a live process that gets the message again after its group
   * rebalanced (a broker outage does that several times) was not taken down by it.
   */
  started(key: string, starter: string): Promise<number>;
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

  async started(key: string, starter: string): Promise<number> {
    // A set under a new name: keys of the earlier counter (a string) expire unread.
    const starts = `${key}:starters`;
    const replies = (await this.redis.multi().sadd(starts, starter).expire(starts, this.ttlSeconds).scard(starts).exec()) as Array<
      [unknown, number]
    >;
    return replies[2][1];
  }

  async finished(key: string): Promise<void> {
    await this.redis.del(`${key}:starters`);
  }
}

export function dedupeKey(tenantId: string, groupId: string, messageId: string): string {
  return `t:${tenantId}:dedupe:${groupId}:${messageId}`;
}
