// Remembers which messages a consumer group already handled, so at-least-once delivery does not
// mean twice-applied effects. Two Redis round trips per message, one as handling begins and one
// as it ends: every consumed message pays them, so they are not four.
import type Redis from 'ioredis';

/** How a message's handling begins: already handled by the group, or begun by `starts` processes. */
export type Beginning = { handled: true } | { handled: false; starts: number };

export interface DedupeStore {
  /**
   * Notes that process `starter` begins handling the message and returns how many processes have,
   * unless `skipHandled` and the group already handled it (then nothing is noted). A start that
   * never reaches `end` was cut short by a crash, a kill or a stall long enough to lose the
   * partition, so the count tells a message that keeps taking its consumer down. It counts
   * processes, not deliveries: a live process that gets the message again after its group
   * rebalanced (a broker outage does that several times) was not taken down by it.
   */
  begin(key: string, starter: string, skipHandled: boolean): Promise<Beginning>;
  /** Handling ended (done or dead-lettered): forgets the starts, and with `handled` remembers the message. */
  end(key: string, handled: boolean): Promise<void>;
}

// One round trip, and atomic: a message already handled is not counted as begun.
const BEGIN = `if ARGV[3] == '1' and redis.call('EXISTS', KEYS[1]) == 1 then return -1 end
redis.call('SADD', KEYS[2], ARGV[1])
redis.call('EXPIRE', KEYS[2], ARGV[2])
return redis.call('SCARD', KEYS[2])`;

type WithBegin = Redis & {
  dedupeBegin(handled: string, starters: string, starter: string, ttl: number, skipHandled: string): Promise<number>;
};

export class RedisDedupeStore implements DedupeStore {
  private readonly redis: WithBegin;

  constructor(
    redis: Redis,
    private readonly ttlSeconds = 7 * 24 * 3600,
  ) {
    // ioredis sends the script by its hash (EVALSHA) once Redis has it.
    redis.defineCommand('dedupeBegin', { numberOfKeys: 2, lua: BEGIN });
    this.redis = redis as WithBegin;
  }

  async begin(key: string, starter: string, skipHandled: boolean): Promise<Beginning> {
    // A set under a new name: keys of the earlier counter (a string) expire unread.
    const starts = await this.redis.dedupeBegin(key, startersOf(key), starter, this.ttlSeconds, skipHandled ? '1' : '0');
    return starts < 0 ? { handled: true } : { handled: false, starts };
  }

  async end(key: string, handled: boolean): Promise<void> {
    if (!handled) return void (await this.redis.del(startersOf(key)));
    await this.redis.multi().set(key, '1', 'EX', this.ttlSeconds).del(startersOf(key)).exec();
  }
}

export function dedupeKey(tenantId: string, groupId: string, messageId: string): string {
  return `t:${tenantId}:dedupe:${groupId}:${messageId}`;
}

const startersOf = (key: string) => `${key}:starters`;
