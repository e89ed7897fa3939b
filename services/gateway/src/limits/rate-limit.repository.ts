// Sliding-window counters in Redis: one sorted set of admission times per limited subject. One Lua
// script checks every window of a request and records the request in all of them, or in none.
import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import Redis from 'ioredis';

export interface Window {
  key: string;
  limit: number;
}

export type Admission = { admitted: true; member: string } | { admitted: false; refusedBy: number; retryAfterMs: number };

// KEYS: the windows' sorted sets. ARGV: now (ms), window (ms), a unique member, then one limit per key.
// Returns {0, 0} when admitted, else {index of the first full window (1-based), ms until a slot frees}.
const SCRIPT = `
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
for i, key in ipairs(KEYS) do
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  local limit = tonumber(ARGV[3 + i])
  local count = redis.call('ZCARD', key)
  if count >= limit then
    local entry = redis.call('ZRANGE', key, count - limit, count - limit, 'WITHSCORES')
    local wait = window
    if entry[2] then wait = tonumber(entry[2]) + window - now end
    return {i, math.max(wait, 1)}
  end
end
for _, key in ipairs(KEYS) do
  redis.call('ZADD', key, now, ARGV[3])
  redis.call('PEXPIRE', key, window)
end
return {0, 0}
`;

@Injectable()
export class RateLimitRepository {
  constructor(private readonly redis: Redis) {}

  async take(windows: Window[], windowMs: number, nowMs = Date.now()): Promise<Admission> {
    const member = `${nowMs}-${randomBytes(6).toString('base64url')}`;
    const [refusedBy, retryAfterMs] = (await this.redis.eval(
      SCRIPT,
      windows.length,
      ...windows.map((w) => w.key),
      nowMs,
      windowMs,
      member,
      ...windows.map((w) => w.limit),
    )) as [number, number];
    return refusedBy === 0 ? { admitted: true, member } : { admitted: false, refusedBy: refusedBy - 1, retryAfterMs };
  }

  /** Takes an admitted request (`member`, from take) back out of some of its windows. */
  async giveBack(keys: string[], member: string): Promise<void> {
    if (keys.length === 0) return;
    const batch = this.redis.multi();
    for (const key of keys) batch.zrem(key, member);
    await batch.exec();
  }
}
